/**
 * The names that the CDK stack (lib/infra) and the runtime (lambdas, broker,
 * local stack) share: environment variables, function roles, table key
 * schemas and stack outputs. Both sides import this one module, so the two
 * cannot drift. Besides it they share only lib/limits.ts (AWS's and kafkaless's
 * size and count limits).
 */

/** Environment variables a function may read, by what they hold. */
export const ENV = {
  bucket: 'KAFKALESS_BUCKET',
  topicsTable: 'KAFKALESS_TOPICS_TABLE',
  partitionsTable: 'KAFKALESS_PARTITIONS_TABLE',
  batchesTable: 'KAFKALESS_BATCHES_TABLE',
  objectsTable: 'KAFKALESS_OBJECTS_TABLE',
  producersTable: 'KAFKALESS_PRODUCERS_TABLE',
  groupsTable: 'KAFKALESS_GROUPS_TABLE',
  logLevel: 'KAFKALESS_LOG_LEVEL',
} as const;

export type EnvKey = keyof typeof ENV;
export type EnvName = (typeof ENV)[EnvKey];

/** The tables, by role. */
export const TABLE_ROLES = ['topics', 'partitions', 'batches', 'objects', 'producers', 'groups'] as const;
export type TableRole = (typeof TABLE_ROLES)[number];

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface TableSchema {
  /** The environment variable that carries this table's name to a function. */
  readonly env: EnvName;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** The attribute holding an epoch-seconds expiry, when items expire. */
  readonly ttlAttribute?: string;
  /** What the table holds, for docs and the construct's descriptions. */
  readonly description: string;
}

/**
 * Key schemas. Partition keys of per-partition items are `topicId#partition`
 * (see `partitionKey()` below), so a topic deleted and created again under the
 * same name never sees its old items.
 */
export const TABLES: Readonly<Record<TableRole, TableSchema>> = {
  topics: {
    env: ENV.topicsTable,
    partitionKey: { name: 'name', type: 'S' },
    description: 'topic name → topicId, partition count, config, state',
  },
  partitions: {
    env: ENV.partitionsTable,
    partitionKey: { name: 'pk', type: 'S' },
    ttlAttribute: 'expiresAt',
    description: 'partition heads (high watermark, log start offset) and maintenance leases',
  },
  batches: {
    env: ENV.batchesTable,
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'baseOffset', type: 'N' },
    description: 'batch index: topicId#partition, baseOffset → object key and byte range',
  },
  objects: {
    env: ENV.objectsTable,
    partitionKey: { name: 'key', type: 'S' },
    ttlAttribute: 'expiresAt',
    description: 'object registry: S3 object key → live references (and tombstones of collected orphans)',
  },
  producers: {
    env: ENV.producersTable,
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    ttlAttribute: 'expiresAt',
    description: 'producer ids, epochs and sequences; transactional ids',
  },
  groups: {
    env: ENV.groupsTable,
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    ttlAttribute: 'expiresAt',
    description: 'consumer groups: metadata, members, committed offsets',
  },
};

/** Every function role kafkaless knows. */
export type FunctionRole = 'admin' | 'produce' | 'fetch' | 'group' | 'maintenance' | 'trigger';

/**
 * The Lambda functions the stack always deploys, one per role whose handler
 * exists. The `trigger` function is deployed only with a subscription
 * (`Kafkaless.subscribe`, docs/TRIGGERS.md).
 */
export const FUNCTION_ROLES: readonly FunctionRole[] = ['admin', 'produce', 'fetch', 'group', 'maintenance'];

/** Which tables (and whether the bucket) each function reads and writes. */
export interface FunctionAccess {
  /** `collect`: read, write, delete and list — the collector's needs; `readwrite` reads and writes only. */
  readonly bucket: 'none' | 'read' | 'write' | 'readwrite' | 'collect';
  readonly tables: Readonly<Partial<Record<TableRole, 'read' | 'write' | 'readwrite'>>>;
  readonly description: string;
}

export const FUNCTIONS: Readonly<Record<FunctionRole, FunctionAccess>> = {
  admin: {
    bucket: 'none',
    tables: { topics: 'readwrite', partitions: 'readwrite', batches: 'read', groups: 'readwrite' },
    description: 'topic and group administration',
  },
  produce: {
    bucket: 'write',
    tables: { topics: 'read', partitions: 'readwrite', batches: 'readwrite', objects: 'readwrite', producers: 'readwrite', groups: 'readwrite' },
    description: 'appends record batches: S3 ingest object, then one DynamoDB transaction; transactions and their consumer offsets',
  },
  fetch: {
    bucket: 'read',
    tables: { topics: 'read', partitions: 'read', batches: 'read' },
    description: 'reads record batches and lists offsets',
  },
  group: {
    // The batch index and the bucket: resetting offsets to a timestamp reads record times.
    bucket: 'read',
    tables: { topics: 'read', partitions: 'read', batches: 'read', groups: 'readwrite' },
    description: 'consumer group coordinator: heartbeats, assignments, offset commits',
  },
  maintenance: {
    bucket: 'collect',
    tables: {
      topics: 'readwrite',
      partitions: 'readwrite',
      batches: 'readwrite',
      objects: 'readwrite',
      producers: 'readwrite',
      groups: 'readwrite',
    },
    description: 'segment compaction, retention, log compaction, garbage collection',
  },
  trigger: {
    // Reads the log, commits the subscriptions' group offsets, produces to dead-letter topics,
    // and keeps its per-partition leases in the partitions table.
    bucket: 'readwrite',
    tables: { topics: 'read', partitions: 'readwrite', batches: 'readwrite', objects: 'readwrite', producers: 'readwrite', groups: 'readwrite' },
    description: "subscriptions: delivers new records to users' functions, retries, dead-letter topics",
  },
};

/**
 * The trigger function's subscriptions (docs/TRIGGERS.md): a JSON array of
 * SubscriptionSpec, written by the construct, read by lib/triggers.
 */
export const SUBSCRIPTIONS_ENV = 'KAFKALESS_SUBSCRIPTIONS';

/** The custom resource whose Create and Update have the trigger wake the subscribed partitions (lib/triggers/start-resource.ts). */
export const SUBSCRIPTIONS_RESOURCE_TYPE = 'Custom::KafkalessSubscriptions';

/** Where a subscription's failure objects go in its S3 on-failure bucket (all the trigger may write there). */
export function failureObjectPrefix(subscription: string): string {
  return `aws/lambda/${subscription}/`;
}

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

/** One subscription as the construct writes it and the trigger function reads it: every option resolved. */
export interface SubscriptionSpec {
  /** Unique in the stack: the construct id given to `subscribe`. */
  readonly name: string;
  /** The user's function: its name (or ARN), as Lambda's Invoke takes it. */
  readonly functionName: string;
  readonly topics: readonly string[];
  readonly groupId: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowMs: number;
  readonly startingPosition: StartingPosition;
  /** Epoch ms; only with AT_TIMESTAMP. */
  readonly startingPositionTimestampMs?: number;
  /** -1: until the record expires (maximumRecordAgeMs), at most 10 with an on-failure topic, as AWS's ESM. */
  readonly maximumRetryAttempts: number;
  /** -1: no limit. */
  readonly maximumRecordAgeMs: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly reportBatchItemFailures: boolean;
  /** A kafkaless topic that receives what could not be delivered. */
  readonly onFailureTopic?: string;
  /** Or an S3 bucket (its name) that receives a failure record per given-up batch. */
  readonly onFailureBucket?: string;
  /** Or an SQS queue (its URL) that receives the invocation record of each given-up batch. */
  readonly onFailureQueueUrl?: string;
  /** Or an SNS topic (its ARN) that receives the invocation record of each given-up batch. */
  readonly onFailureSnsTopicArn?: string;
  /** Partitions delivered at once by one trigger invocation (order is kept within each). */
  readonly parallelism: number;
  /** The user's function timeout, so the trigger knows how long one invocation may take. */
  readonly functionTimeoutMs: number;
  /** The function's output records and the group's offsets commit in one transaction (absent: at least once, output ignored). */
  readonly exactlyOnce?: boolean;
  /** Filter criteria patterns (JSON): only matching records are delivered (absent: every record). */
  readonly filterPatterns?: readonly string[];
  /** Topics whose names match this (a JavaScript regular expression, whole name), besides `topics`. */
  readonly topicsRegex?: string;
  /**
   * Set for a connector's sink (docs/CONNECT.md): the event carries the
   * partition's log end offset, and the function may hold back a tail of the
   * batch (answer `kafkaless.holdFrom`), which is neither done nor failed.
   */
  readonly connector?: string;
}

/**
 * A connector's function (docs/CONNECT.md): its resolved config as JSON,
 * written by the construct, read by lib/connect.
 */
export const CONNECTOR_ENV = 'KAFKALESS_CONNECTOR';

/** The environment variables the stack gives a function: exactly what it may read. */
export function envNamesFor(role: FunctionRole): EnvName[] {
  const access = FUNCTIONS[role];
  const names: EnvName[] = [];
  if (access.bucket !== 'none') names.push(ENV.bucket);
  for (const table of TABLE_ROLES) {
    if (access.tables[table] !== undefined) names.push(TABLES[table].env);
  }
  names.push(ENV.logLevel);
  return names;
}

/**
 * The broker functions a Kafka gateway runs in its own process (maintenance
 * stays a scheduled function); its container gets their environment and
 * their data permissions.
 */
export const GATEWAY_ROLES: readonly FunctionRole[] = ['admin', 'produce', 'fetch', 'group'];

/** Kafka's port: where a gateway container listens, and the load balancer's listener unless told otherwise. */
export const DEFAULT_GATEWAY_PORT = 9092;

/** The environment of a gateway container beside the functions' (ENV): where it listens and what it advertises. */
export const GATEWAY_ENV = {
  port: 'KAFKALESS_GATEWAY_PORT',
  advertisedHost: 'KAFKALESS_GATEWAY_ADVERTISED_HOST',
  advertisedPort: 'KAFKALESS_GATEWAY_ADVERTISED_PORT',
  /** When set, the gateway writes its open connections as a CloudWatch metric (embedded metric format) to this namespace. */
  metricsNamespace: 'KAFKALESS_METRICS_NAMESPACE',
  /** The `Service` dimension of those metrics. */
  metricsService: 'KAFKALESS_METRICS_SERVICE',
  /** When set, the ARN of a Secrets Manager secret holding the users file: clients must authenticate with SASL. */
  usersSecretArn: 'KAFKALESS_GATEWAY_USERS_SECRET_ARN',
  /** The SASL mechanisms clients may use, comma-separated; all the gateway knows unless set. */
  saslMechanisms: 'KAFKALESS_GATEWAY_SASL_MECHANISMS',
  /** How long produce requests are gathered into one object and commit, in ms (0: each alone). */
  lingerMs: 'KAFKALESS_GATEWAY_LINGER_MS',
  /** The bytes of batches at which a produce window closes early. */
  lingerMaxBytes: 'KAFKALESS_GATEWAY_LINGER_MAX_BYTES',
} as const;

/** The environment variables of several functions together, each once, in ENV's order. */
export function envNamesForRoles(roles: readonly FunctionRole[]): EnvName[] {
  const wanted = new Set(roles.flatMap((role) => envNamesFor(role)));
  return Object.values(ENV).filter((name) => wanted.has(name));
}

/** The CloudWatch metric the gateway writes (embedded metric format) and its service scales on. */
export const GATEWAY_METRICS = { namespace: 'Kafkaless', connections: 'GatewayConnections', dimension: 'Service' } as const;

/** The gateway container's entry file, relative to the project root (built: under dist/, as handler entries). */
export const GATEWAY_ENTRY = 'containers/gateway.ts';

/** The gateway image's Dockerfile, relative to the project root; shipped in the package as it is. */
export const GATEWAY_DOCKERFILE = 'containers/gateway.Dockerfile';

/** Stack output keys, so clients and the CLI can find a deployed stack's parts. */
export const OUTPUTS = {
  /** Present when the stack has a gateway: the load balancer's host:port, for bootstrap.servers. */
  gatewayBootstrap: 'GatewayBootstrapServers',
  bucket: 'BucketName',
  functionName: (role: FunctionRole): string => `${capitalize(role)}FunctionName`,
  tableName: (role: TableRole): string => `${capitalize(role)}TableName`,
  /** Present when the stack declares connectors: their JSON list (name, class, topics, tasks, group, function), for `kafkaless connect --stack`. */
  connectors: 'Connectors',
} as const;

/** The CDK construct id of each function, also used as the logical-id prefix. */
export function functionConstructId(role: FunctionRole): string {
  return `${capitalize(role)}Function`;
}

export function tableConstructId(role: TableRole): string {
  return `${capitalize(role)}Table`;
}

/** The handler entry file of each function, relative to the project root. */
export function handlerEntry(role: FunctionRole): string {
  return `lambdas/${role}.ts`;
}

/** The key of a partition's items: `topicId#partition`. */
export function partitionKey(topicId: string, partition: number): string {
  return `${topicId}#${partition}`;
}

/** Default stack name for `cdk deploy` and for the CLI's `--stack`. */
export const DEFAULT_STACK_NAME = 'Kafkaless';

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
