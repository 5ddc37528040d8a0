/**
 * The wire layer's two errors. A `WireDecodeError` means the peer sent bytes that are
 * not a valid Kafka message (the gateway closes that connection); decoding throws
 * nothing else. A `WireEncodeError` means our own value does not fit the schema (a
 * bug on our side: wrong type, out of range, a field the version can not carry).
 */

/** Why a frame could not be decoded. */
export type WireDecodeReason = 'malformed' | 'unknown-api' | 'unsupported-version' | 'frame-too-large';

export interface WireDecodeContext {
  /** The field path being read, e.g. `ProduceRequest.topicData[0].name`. */
  readonly field?: string;
  /** Byte offset in the frame where reading failed. */
  readonly position?: number;
  readonly apiKey?: number;
  readonly apiVersion?: number;
  readonly correlationId?: number;
}

export class WireDecodeError extends Error {
  readonly reason: WireDecodeReason;
  readonly context: WireDecodeContext;

  constructor(message: string, reason: WireDecodeReason = 'malformed', context: WireDecodeContext = {}) {
    super(message);
    this.name = 'WireDecodeError';
    this.reason = reason;
    this.context = context;
  }
}

export class WireEncodeError extends Error {
  readonly field: string;

  constructor(message: string, field: string) {
    super(`${field}: ${message}`);
    this.name = 'WireEncodeError';
    this.field = field;
  }
}
