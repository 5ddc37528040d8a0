/** The CDK side of kafkaless: the construct for your own stack, the stack, the app. */
export { Kafkaless, type Connector, type GrantOptions, type GrantTransport, type Subscription } from './kafkaless.js';
export type { ConnectorProps, RawConnectorConfig } from './connector-props.js';
export type { SubscribeOptions, OnFailureDestination, StartingPosition } from './subscription-props.js';
export type { KafkalessProps, FunctionSettings, LogLevel } from './props.js';
export type { GatewayProps, GatewaySaslProps } from './gateway-props.js';
export type { SaslMechanism } from '../gateway/sasl/scram-credential.js';
export { GatewayService } from './gateway-service.js';
export { KafkalessStack } from './stack.js';
export { buildApp } from './app.js';
