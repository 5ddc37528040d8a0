/** A Kafka-protocol gateway over the broker in this process. */
export { startGateway, type GatewayOptions, type KafkaGateway } from './server.js';
export { SERVED_APIS } from './apis/index.js';
