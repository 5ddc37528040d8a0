export { Kafkaless, type KafkalessOptions } from './kafkaless.js';
export { Admin, type NewTopic, type ConfigEntry } from './admin.js';
export type { Transport, InvokeOptions } from './transport.js';
export { LambdaTransport, type LambdaTransportOptions } from './transports/lambda-transport.js';
export { KafkalessError } from '../errors.js';
