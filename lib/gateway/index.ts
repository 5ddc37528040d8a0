/** A Kafka-protocol gateway over the broker in this process. */
export { startGateway, type GatewayOptions, type GatewayTls, type KafkaGateway } from './server.js';
export { SERVED_APIS } from './apis/index.js';
export type { SaslOptions } from './sasl/sasl-session.js';
export { SASL_MECHANISMS, scramCredential, type SaslMechanism, type ScramCredential, type ScramMechanism } from './sasl/scram-credential.js';
export { UserStore } from './sasl/user-store.js';
export { parseUsers, readUsersFile, writeUsersFile, type Users } from './sasl/users-file.js';
