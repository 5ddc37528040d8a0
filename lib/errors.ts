/**
 * Typed errors, named as Kafka names its error codes.
 *
 * Every protocol outcome a client can act on is a `KafkalessError` with a
 * `code` from the closed list below. Infrastructure failures (an AWS call
 * that failed for reasons of its own) are `InfrastructureError`, kept apart
 * until the edge (a Lambda reply, a CLI exit code).
 */

/** Kafka's error names, with whether a client may retry the same request. */
export const ERROR_CODES = {
  UnknownServerError: { retriable: false, kafkaCode: -1 },
  OffsetOutOfRange: { retriable: false, kafkaCode: 1 },
  CorruptRecord: { retriable: true, kafkaCode: 2 },
  UnknownTopicOrPartition: { retriable: true, kafkaCode: 3 },
  InvalidFetchSize: { retriable: false, kafkaCode: 4 },
  RequestTimedOut: { retriable: true, kafkaCode: 7 },
  MessageSizeTooLarge: { retriable: false, kafkaCode: 10 },
  /** Java's name for MESSAGE_TOO_LARGE when one batch exceeds max.message.bytes. */
  RecordTooLarge: { retriable: false, kafkaCode: 10 },
  NetworkException: { retriable: true, kafkaCode: 13 },
  CoordinatorLoadInProgress: { retriable: true, kafkaCode: 14 },
  CoordinatorNotAvailable: { retriable: true, kafkaCode: 15 },
  InvalidTopic: { retriable: false, kafkaCode: 17 },
  RecordListTooLarge: { retriable: false, kafkaCode: 18 },
  NotEnoughReplicas: { retriable: true, kafkaCode: 19 },
  InvalidRequiredAcks: { retriable: false, kafkaCode: 21 },
  IllegalGeneration: { retriable: false, kafkaCode: 22 },
  InconsistentGroupProtocol: { retriable: false, kafkaCode: 23 },
  InvalidGroupId: { retriable: false, kafkaCode: 24 },
  UnknownMemberId: { retriable: false, kafkaCode: 25 },
  InvalidSessionTimeout: { retriable: false, kafkaCode: 26 },
  RebalanceInProgress: { retriable: false, kafkaCode: 27 },
  InvalidCommitOffsetSize: { retriable: false, kafkaCode: 28 },
  TopicAuthorizationFailed: { retriable: false, kafkaCode: 29 },
  InvalidTimestamp: { retriable: false, kafkaCode: 32 },
  UnsupportedVersion: { retriable: false, kafkaCode: 35 },
  TopicAlreadyExists: { retriable: false, kafkaCode: 36 },
  InvalidPartitions: { retriable: false, kafkaCode: 37 },
  InvalidReplicationFactor: { retriable: false, kafkaCode: 38 },
  InvalidConfig: { retriable: false, kafkaCode: 40 },
  InvalidRequest: { retriable: false, kafkaCode: 42 },
  UnsupportedForMessageFormat: { retriable: false, kafkaCode: 43 },
  PolicyViolation: { retriable: false, kafkaCode: 44 },
  OutOfOrderSequence: { retriable: false, kafkaCode: 45 },
  DuplicateSequenceNumber: { retriable: false, kafkaCode: 46 },
  InvalidProducerEpoch: { retriable: false, kafkaCode: 47 },
  InvalidTxnState: { retriable: false, kafkaCode: 48 },
  InvalidProducerIdMapping: { retriable: false, kafkaCode: 49 },
  InvalidTransactionTimeout: { retriable: false, kafkaCode: 50 },
  ConcurrentTransactions: { retriable: true, kafkaCode: 51 },
  TransactionalIdAuthorizationFailed: { retriable: false, kafkaCode: 53 },
  SecurityDisabled: { retriable: false, kafkaCode: 54 },
  KafkaStorageError: { retriable: true, kafkaCode: 56 },
  ProducerFenced: { retriable: false, kafkaCode: 90 },
  GroupIdNotFound: { retriable: false, kafkaCode: 69 },
  NonEmptyGroup: { retriable: false, kafkaCode: 68 },
  GroupMaxSizeReached: { retriable: false, kafkaCode: 81 },
  /** JoinGroup v4+ with an empty member id: join again with the id given. */
  MemberIdRequired: { retriable: false, kafkaCode: 79 },
  GroupSubscribedToTopic: { retriable: false, kafkaCode: 86 },
  UnknownProducerId: { retriable: false, kafkaCode: 59 },
  ThrottlingQuotaExceeded: { retriable: true, kafkaCode: 89 },
  UnstableOffsetCommit: { retriable: true, kafkaCode: 88 },
  InvalidRecord: { retriable: false, kafkaCode: 87 },
  FencedInstanceId: { retriable: false, kafkaCode: 82 },
  FencedMemberEpoch: { retriable: false, kafkaCode: 110 },
  UnreleasedInstanceId: { retriable: false, kafkaCode: 111 },
  UnsupportedAssignor: { retriable: false, kafkaCode: 112 },
  StaleMemberEpoch: { retriable: false, kafkaCode: 113 },
  TransactionalIdNotFound: { retriable: false, kafkaCode: 105 },
  TransactionAbortable: { retriable: false, kafkaCode: 120 },
} as const satisfies Record<string, { retriable: boolean; kafkaCode: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Where an error happened, for the message and for logs. */
export interface ErrorContext {
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: string | number;
  readonly field?: string;
  readonly [key: string]: unknown;
}

/** A protocol outcome a client understands, named as Kafka names it. */
export class KafkalessError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, options: { context?: ErrorContext; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KafkalessError';
    this.code = code;
    this.retriable = ERROR_CODES[code].retriable;
    this.context = options.context ?? {};
  }

  /** The shape carried in a Lambda reply or a CLI's `--json` output. */
  toJSON(): ErrorPayload {
    return { code: this.code, message: this.message, retriable: this.retriable, context: this.context };
  }
}

/** An AWS or network failure that is not a protocol outcome. */
export class InfrastructureError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'InfrastructureError';
    this.retriable = options.retriable ?? true;
  }
}

/** An error as it travels in a reply: plain JSON. */
export interface ErrorPayload {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retriable: boolean;
  readonly context?: ErrorContext;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** Turns a reply's error payload back into a typed error on the client side. */
export function errorFromPayload(payload: ErrorPayload): KafkalessError {
  const code = isErrorCode(payload.code) ? payload.code : 'UnknownServerError';
  const context = payload.context !== undefined ? { context: payload.context } : {};
  return new KafkalessError(code, payload.message, context);
}

/** Any thrown value as an error payload; unknown failures become `UnknownServerError`. */
export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof KafkalessError) return err.toJSON();
  if (err instanceof InfrastructureError) {
    return { code: 'KafkaStorageError', message: err.message, retriable: err.retriable };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'UnknownServerError', message, retriable: false };
}

/** Shorthands used across the codebase. */
export const invalidRequest = (message: string, context?: ErrorContext): KafkalessError =>
  new KafkalessError('InvalidRequest', message, context ? { context } : {});
