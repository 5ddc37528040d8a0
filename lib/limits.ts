/**
 * Every size and count limit, in one table: AWS's own (Lambda payloads,
 * DynamoDB transactions) and the ones kafkaless derives from them. The
 * client, the broker, the handlers, the local stack and the CDK stack all
 * read them from here, so none can drift from another. This module imports
 * nothing, so every layer may import it.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

/** AWS Lambda: a synchronous (RequestResponse) invocation's request, and any reply, is at most 6 MB. */
export const LAMBDA_SYNC_PAYLOAD_BYTES = 6 * MiB;
/** AWS Lambda: an asynchronous (Event) invocation's request is at most 1 MB. */
export const LAMBDA_ASYNC_PAYLOAD_BYTES = 1 * MiB;

/** AWS Lambda: a function's memory, in MB (its default when a template leaves it out is the least). */
export const LAMBDA_MEMORY_MB = { min: 128, max: 10_240 } as const;
/** AWS Lambda: a function's timeout, in seconds (3 when a template leaves it out). */
export const LAMBDA_TIMEOUT_SECONDS = { min: 1, max: 900, default: 3 } as const;
/** AWS Lambda: characters of a function name. */
export const LAMBDA_FUNCTION_NAME_CHARS = 64;

/** DynamoDB: items in one TransactWriteItems call. */
export const DYNAMODB_TRANSACTION_ITEMS = 100;
/** DynamoDB: requests in one BatchWriteItem call. */
export const DYNAMODB_BATCH_WRITE_ITEMS = 25;
/** DynamoDB: keys in one BatchGetItem call. */
export const DYNAMODB_BATCH_GET_ITEMS = 100;
/** S3: keys in one DeleteObjects call. */
export const S3_DELETE_OBJECTS_KEYS = 1000;

/**
 * Bytes of record batches in one produce request (the most max.request.size
 * may be): base64 makes them 4/3 as large, which stays within Lambda's
 * synchronous payload with room for the request's JSON.
 */
export const MAX_REQUEST_SIZE_BYTES = 4 * MiB;
/** Kafka's max.message.bytes default: the largest batch a topic accepts. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1 * MiB + 12;
/** Bytes one fetch reply carries (the most fetch.max.bytes may be): base64 of this stays within Lambda's reply. */
export const MAX_FETCH_BYTES = 4 * MiB;
/** Kafka's fetch.max.bytes default is this project's ceiling. */
export const DEFAULT_FETCH_MAX_BYTES = MAX_FETCH_BYTES;
/** Kafka's max.partition.fetch.bytes default. */
export const DEFAULT_PARTITION_FETCH_BYTES = 1 * MiB;
/** The longest a fetch waits for data (the most fetch.max.wait.ms may be): well inside a Lambda invocation. */
export const MAX_FETCH_WAIT_MS = 20_000;

/** Partition batches in one produce request. */
export const MAX_PRODUCE_PARTITIONS = 1000;
/** Partitions one fetch request reads. */
export const MAX_FETCH_PARTITIONS = 1000;
/** Partitions one listOffsets request asks about. */
export const MAX_LIST_OFFSETS_PARTITIONS = 1000;
/** Partitions a topic may have. */
export const MAX_TOPIC_PARTITIONS = 10_000;
/** Characters of a topic or group name in a request (names are checked exactly afterwards, e.g. Kafka's 249 for a topic). */
export const MAX_NAME_CHARS = 1000;
/** Topics one metadata, describeTopics or describeConfigs request names. */
export const MAX_TOPICS_PER_LOOKUP = 1000;
/** Groups one describeGroups or deleteGroups request names. */
export const MAX_GROUPS_PER_REQUEST = 100;
/** Config entries per topic in one createTopics or alterConfigs request. */
export const MAX_CONFIG_ENTRIES = 100;
/** Topics one admin request may create, delete or alter. */
export const MAX_TOPICS_PER_REQUEST = 50;
/** Partitions per deleteRecords request: one DynamoDB transaction moves them all. */
export const MAX_DELETE_RECORDS_PARTITIONS = DYNAMODB_TRANSACTION_ITEMS;
/** Kafka's offset.metadata.max.bytes: characters of a committed offset's metadata. */
export const MAX_OFFSET_METADATA_LENGTH = 4096;
/** Offsets per group commit request (each chunk of 99 is one atomic transaction). */
export const MAX_COMMIT_OFFSETS = 1000;
/** Offsets one sendOffsetsToTransaction call may carry (they share one DynamoDB transaction with its meta). */
export const MAX_TXN_OFFSETS = DYNAMODB_TRANSACTION_ITEMS - 1;
/**
 * The final step of a transaction's commit is one DynamoDB transaction: every
 * partition head, every committed offset, one check per group, and the meta.
 */
export const MAX_COMMIT_FINAL_ITEMS = DYNAMODB_TRANSACTION_ITEMS;
/** Staged items per staging write (plus the meta, the object registry and the open marker). */
export const MAX_STAGED_PER_WRITE = DYNAMODB_TRANSACTION_ITEMS - 3;

/** How long a gateway's produce window gathers requests into one object and commit (docs/GATEWAY.md, "Aggregation"); 0 writes each alone. */
export const GATEWAY_LINGER_MS = { default: 5, max: 1000 } as const;
/** The bytes of batches at which a produce window closes early: a few MiB, at least one full request. */
export const GATEWAY_LINGER_BYTES = { default: 4 * MiB, min: MAX_REQUEST_SIZE_BYTES, max: 64 * MiB } as const;

/** Subscriptions (docs/TRIGGERS.md), with the bounds of AWS's Kafka event source mapping. */
export const SUBSCRIPTION_BATCH_SIZE = { min: 1, max: 10_000, default: 100 } as const;
export const SUBSCRIPTION_BATCHING_WINDOW_MS = { min: 0, max: 300_000, default: 500 } as const;
export const SUBSCRIPTION_RETRY_ATTEMPTS = { min: -1, max: 10_000, default: -1, withOnFailure: 10 } as const;
/** -1 (no limit), or 60 s to 7 days. */
export const SUBSCRIPTION_RECORD_AGE_MS = { min: 60_000, max: 604_800_000, default: -1 } as const;
export const SUBSCRIPTION_PARALLELISM = { min: 1, max: 100, default: 10 } as const;
/** Filter criteria patterns per subscription: AWS's default quota per event source mapping. */
export const SUBSCRIPTION_FILTERS_MAX = 5;
/** An invocation's event stays under Lambda's synchronous payload limit (base64 and JSON included). */
export const SUBSCRIPTION_EVENT_BYTES = 5 * MiB;
