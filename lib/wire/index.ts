/** Kafka's binary protocol, driven by Kafka's own message definitions (lib/wire/messages/). */
export {
  decodeRequest,
  decodeRequestHeader,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type DecodedRequest,
  type DecodedResponse,
  type MessageBody,
  type RequestHeader,
  type WireInput,
} from './message-codec.js';
export { API_KEYS, type ApiKey, type RequestBodies, type ResponseBodies } from './generated-types.js';
export type * from './generated-types.js';
export {
  requestHeaderVersion,
  requestSchema,
  responseHeaderVersion,
  responseSchema,
  VENDORED_APIS,
  type VendoredApi,
} from './schema-registry.js';
export { KAFKA_MESSAGES_COMMIT } from './generated-schemas.js';
export { DEFAULT_MAX_FRAME_BYTES, FrameSplitter } from './frame-splitter.js';
export { kafkaError, kafkaErrorByCode, NO_ERROR, wireErrorCode } from './error-codes.js';
export type { KafkaErrorEntry } from './kafka-error-table.js';
export { WireDecodeError, WireEncodeError, type WireDecodeContext, type WireDecodeReason } from './wire-error.js';
export { WireReader } from './wire-reader.js';
export { WireWriter } from './wire-writer.js';
export { ZERO_UUID } from './uuid.js';
export type { UnknownTaggedField, WireStruct, WireValue } from './wire-values.js';
export type { FieldSchema, MessageSchema, VersionRange } from './schema-types.js';
