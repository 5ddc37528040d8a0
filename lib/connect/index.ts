/** Connect (docs/CONNECT.md): connector configs, the sink handler, and the S3 sink. */
export { MAX_FLUSH_SIZE, parseConnectorConfig, taskOf } from './config/connector-config.js';
export type { ConnectorConfig, RawConnectorConfig, S3SinkConfig } from './config/connector-config.js';
export { createSinkHandler, type SinkAnswer, type SinkHandler } from './sink-handler.js';
export { CONNECT_ERROR_HEADERS } from './dead-letter.js';
export { sinkToS3, type S3SinkDeps, type SinkOutcome } from './s3-sink/s3-sink.js';
