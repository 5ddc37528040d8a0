/**
 * `Kafkaless`: the L3 construct. One S3 bucket for the log, the DynamoDB
 * tables of names.ts, and one Lambda function per role in FUNCTION_ROLES,
 * each with its own least-privilege role. Everything is driven by names.ts:
 * a role or table added there appears here with no other change.
 */
import { Grant, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IRule } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ENV, FUNCTIONS, FUNCTION_ROLES, GATEWAY_ROLES, OUTPUTS, TABLES, TABLE_ROLES, envNamesFor, envNamesForRoles } from '../names.js';
import type { EnvName, FunctionRole, TableRole } from '../names.js';
import { createBrokerFunction } from './broker-function.js';
import {
  DEFAULT_ABORT_INCOMPLETE_UPLOADS_AFTER,
  DEFAULT_LOG_LEVEL,
  DEFAULT_LOG_RETENTION,
  DEFAULT_MAINTENANCE_SCHEDULE,
  DEFAULT_MEMORY_SIZE_MB,
  DEFAULT_NONCURRENT_VERSION_EXPIRATION,
  DEFAULT_REMOVAL_POLICY,
  DEFAULT_TIMEOUT,
  ROLE_TIMEOUTS,
} from './defaults.js';
import { GatewayService } from './gateway-service.js';
import { createLogBucket } from './log-bucket.js';
import { scheduleMaintenance } from './maintenance-schedule.js';
import { acknowledgeFindings } from './nag-acknowledgments.js';
import { INVOKE_ACTIONS, mergeAccess, permissionsFor } from './permissions.js';
import type { DataTargets, Permission } from './permissions.js';
import { findProjectRoot, lockFileAt } from './project-root.js';
import { validateProps } from './props.js';
import type { KafkalessProps } from './props.js';
import { createTable } from './tables.js';
import { subscribeProblems, subscriptionSpec, type OnFailureDestination, type SubscribeOptions } from './subscription-props.js';
import { acknowledgeTriggerFindings, enableHeadStream, grantFailureObjects, grantFailureQueue, grantFailureSnsTopic, mapHeadStream, triggerParts, wakeOnDeploy } from './subscription-trigger.js';
import { CONNECTOR_ENV, type SubscriptionSpec } from '../names.js';
import { connectorSubscription, createConnectorFunction, grantSinkWrites, mapTableStream, notifyObjectsCreated, resolveConnectorConfig } from './connector-function.js';
import type { ConnectorProps } from './connector-props.js';
import { declaredConnector, type ConnectorConfig } from '../connect/config/connector-config.js';
import type { LocalConnector } from '../config/local-stack-state.js';

export type { FunctionSettings, KafkalessProps, LogLevel } from './props.js';
export type { OnFailureDestination, StartingPosition, SubscribeOptions } from './subscription-props.js';

/** A subscription made by `subscribe`. */
export interface Subscription {
  readonly name: string;
  /** The consumer group holding its committed offsets. */
  readonly groupId: string;
}

/** A connector made by `connect`. */
export interface Connector {
  readonly name: string;
  /** Its function: the sink's batches are delivered to it by its subscription. */
  readonly fn: IFunction;
  /** The consumer group holding a sink's committed offsets: `connect-<name>`, as Kafka Connect names it. */
  readonly groupId?: string;
}

/** The trigger function, made by the first subscription. */
interface Trigger {
  readonly fn: IFunction;
  readonly role: Role;
  readonly specs: SubscriptionSpec[];
}

/** The trigger waits on users' functions: it gets Lambda's longest timeout. */
const TRIGGER_TIMEOUT = Duration.minutes(15);

/** How a client reaches the broker. */
export type GrantTransport = 'lambda' | 'embedded';

export interface GrantOptions {
  /**
   * `lambda`: the client invokes the functions, so it may invoke just those.
   * `embedded`: the client runs the broker code in-process, so it gets the
   * data permissions the functions it replaces have.
   * @default 'lambda'
   */
  readonly transport?: GrantTransport;
}

/** Which functions serve each kind of client. Strings, so roles not (yet) in FUNCTION_ROLES are skipped. */
const GRANT_SCOPES = {
  produce: ['produce'],
  consume: ['fetch', 'group'],
  admin: ['admin'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

type GrantScope = keyof typeof GRANT_SCOPES;

function rolesServing(scope: GrantScope): FunctionRole[] {
  const names: readonly string[] = GRANT_SCOPES[scope];
  return FUNCTION_ROLES.filter((role) => names.includes(role));
}

function byRole<R extends string, V>(roles: readonly R[], make: (role: R) => V): Record<R, V> {
  return Object.fromEntries(roles.map((role) => [role, make(role)])) as Record<R, V>;
}

export class Kafkaless extends Construct {
  /** The log: ingest and segment objects. */
  public readonly bucket: IBucket;
  /** One table per role in TABLE_ROLES. */
  public readonly tables: Readonly<Record<TableRole, ITable>>;
  /** One function per role in FUNCTION_ROLES. */
  public readonly functions: Readonly<Partial<Record<FunctionRole, IFunction>>>;
  /** The customer-managed key, when one was given. */
  public readonly encryptionKey?: IKey;
  /** The rule that runs maintenance, when the maintenance function is deployed and scheduled. */
  public readonly maintenanceRule?: IRule;
  /** The Kafka gateway's service and load balancer, when the `gateway` prop asked for one. */
  public readonly gateway?: GatewayService;

  private readonly targets: DataTargets;
  private readonly props: KafkalessProps;
  private readonly removalPolicy: RemovalPolicy;
  private trigger?: Trigger;
  /** The connectors declared, for the stack's Connectors output. */
  private readonly connectors: LocalConnector[] = [];

  constructor(scope: Construct, id: string, props: KafkalessProps = {}) {
    super(scope, id);
    validateProps(props);
    this.props = props;
    const removalPolicy = props.removalPolicy ?? DEFAULT_REMOVAL_POLICY;
    this.removalPolicy = removalPolicy;
    const encryptionKey = props.encryptionKey;
    if (encryptionKey !== undefined) this.encryptionKey = encryptionKey;

    const bucket = createLogBucket(this, 'Bucket', {
      removalPolicy,
      ...(encryptionKey === undefined ? {} : { encryptionKey }),
      ...(props.serverAccessLogsBucket === undefined ? {} : { serverAccessLogsBucket: props.serverAccessLogsBucket }),
      versioned: props.versioned ?? false,
      noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? DEFAULT_NONCURRENT_VERSION_EXPIRATION,
      abortIncompleteUploadsAfter: props.abortIncompleteUploadsAfter ?? DEFAULT_ABORT_INCOMPLETE_UPLOADS_AFTER,
    });
    this.bucket = bucket;

    const tableOptions = {
      removalPolicy,
      deletionProtection: props.deletionProtection ?? removalPolicy !== RemovalPolicy.DESTROY,
      ...(encryptionKey === undefined ? {} : { encryptionKey }),
    };
    const tables = byRole(TABLE_ROLES, (role) => createTable(this, role, tableOptions));
    this.tables = tables;

    this.targets = {
      bucketArn: bucket.bucketArn,
      tableArns: byRole(TABLE_ROLES, (role) => tables[role].tableArn),
      ...(encryptionKey === undefined ? {} : { keyArn: encryptionKey.keyArn }),
    };
    this.functions = this.createFunctions(props, removalPolicy);
    const maintenance = this.functions.maintenance;
    if (maintenance !== undefined && props.maintenanceScheduleEnabled !== false) {
      this.maintenanceRule = scheduleMaintenance(this, maintenance, props.maintenanceSchedule ?? DEFAULT_MAINTENANCE_SCHEDULE);
    }
    if (props.gateway !== undefined) this.gateway = this.createGateway(props, removalPolicy);
    acknowledgeFindings(this, bucket, props.serverAccessLogsBucket !== undefined);
  }

  /**
   * Makes `fn` a subscriber of `options.topics` (docs/TRIGGERS.md): new
   * records are delivered to it in AWS's MSK event shape, a batch at a time,
   * in order within each partition, at least once, with the retries,
   * bisection, partial batch responses, record age and dead-letter topic of
   * the options. The first subscription adds a stream on the partitions
   * table and the trigger function; the trigger may invoke `fn`.
   */
  public subscribe(fn: IFunction, options: SubscribeOptions): Subscription {
    const name = options.name ?? fn.node.id;
    const problems = subscribeProblems(options, name);
    if (this.trigger?.specs.some((s) => s.name === name) === true) problems.push(`a subscription named '${name}' exists already: give another name`);
    if (problems.length > 0) throw new Error(`Invalid subscription '${name}':\n- ${problems.join('\n- ')}`);
    return this.addSubscription(fn, subscriptionSpec(fn, options, name), options.onFailure);
  }

  /**
   * Declares a connector (docs/CONNECT.md): its config as Kafka Connect's,
   * checked now (an InvalidConfig error lists every problem). It runs as a
   * Lambda function; a sink's function is subscribed to its topics (group
   * `connect-<name>`), so it runs only when records arrive, and keeps its
   * state in the partitions table. `kafkaless connect` manages it.
   */
  public connect(name: string, props: ConnectorProps): Connector {
    const raw = resolveConnectorConfig(name, props);
    if (this.trigger?.specs.some((s) => s.connector === name) === true) throw new Error(`a connector named '${name}' exists already: give another name`);
    const projectRoot = this.props.projectRoot ?? findProjectRoot();
    const lockFile = lockFileAt(projectRoot);
    const { fn, role, config, scope } = createConnectorFunction(this, name, {
      raw,
      projectRoot,
      ...(lockFile === undefined ? {} : { lockFile }),
      ...(props.memorySizeMb !== undefined ? { memorySizeMb: props.memorySizeMb } : {}),
      ...(props.timeout !== undefined ? { timeout: props.timeout } : {}),
      logRetention: this.props.logRetention ?? DEFAULT_LOG_RETENTION,
      removalPolicy: this.removalPolicy,
      environment: this.environmentFor('trigger', this.props.logLevel ?? DEFAULT_LOG_LEVEL),
      permissions: permissionsFor(FUNCTIONS.trigger, this.targets),
      envName: CONNECTOR_ENV,
    });
    if (config.connectorClass === 'DynamoDbSource') {
      if (props.table === undefined) throw new Error(`Connector '${name}': a DynamoDB source needs its table (props.table)`);
      mapTableStream(scope, fn, role, props.table);
      this.declare(config, fn);
      return { name, fn };
    }
    if (config.connectorClass === 'S3Source') {
      if (props.bucket === undefined) throw new Error(`Connector '${name}': an S3 source needs its bucket (props.bucket)`);
      notifyObjectsCreated(scope, fn, role, props.bucket, config.prefix);
      this.declare(config, fn);
      return { name, fn };
    }
    if (props.bucket !== undefined) grantSinkWrites(scope, role, props.bucket, config.topicsDir);
    const spec = connectorSubscription(fn, config);
    this.addSubscription(fn, spec);
    this.declare(config, fn);
    return { name, fn, groupId: spec.groupId };
  }

  /**
   * Lists the connector in the stack's Connectors output (made with the
   * first), which `kafkaless connect --stack` reads: what the local stack
   * writes to its state file, with the deployed function's name.
   */
  private declare(config: ConnectorConfig, fn: IFunction): void {
    if (this.connectors.length === 0) {
      new CfnOutput(this, OUTPUTS.connectors, {
        value: Lazy.string({ produce: () => Stack.of(this).toJsonString(this.connectors) }),
        description: 'kafkaless connectors: name, class, topics, tasks, group and function of each, for kafkaless connect --stack',
      });
    }
    this.connectors.push(declaredConnector(config, fn.functionName));
  }

  private addSubscription(fn: IFunction, spec: SubscriptionSpec, onFailure?: OnFailureDestination): Subscription {
    const name = spec.name;
    const trigger = this.trigger ?? this.createTrigger();
    trigger.specs.push(spec);
    trigger.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...INVOKE_ACTIONS], resources: [fn.functionArn] }));
    if (onFailure?.bucket !== undefined) grantFailureObjects(trigger.role, onFailure.bucket, name);
    if (onFailure?.queue !== undefined) grantFailureQueue(trigger.role, onFailure.queue);
    if (onFailure?.snsTopic !== undefined) grantFailureSnsTopic(trigger.role, onFailure.snsTopic);
    return { name, groupId: spec.groupId };
  }

  private createTrigger(): Trigger {
    const props = this.props;
    const streamArn = enableHeadStream(this.tables.partitions);
    const parts = triggerParts(this, streamArn);
    const projectRoot = props.projectRoot ?? findProjectRoot();
    const lockFile = lockFileAt(projectRoot);
    const settings = props.functionSettings?.trigger;
    const { fn, role } = createBrokerFunction(this, 'trigger', {
      projectRoot,
      ...(lockFile === undefined ? {} : { lockFile }),
      memorySizeMb: settings?.memorySizeMb ?? props.memorySizeMb ?? DEFAULT_MEMORY_SIZE_MB,
      timeout: settings?.timeout ?? TRIGGER_TIMEOUT,
      logRetention: props.logRetention ?? DEFAULT_LOG_RETENTION,
      removalPolicy: this.removalPolicy,
      ...(props.functionNamePrefix === undefined ? {} : { functionName: `${props.functionNamePrefix}-trigger` }),
      environment: { ...this.environmentFor('trigger', props.logLevel ?? DEFAULT_LOG_LEVEL), ...parts.environment },
      permissions: [...permissionsFor(FUNCTIONS.trigger, this.targets), ...parts.permissions],
    });
    wakeOnDeploy(this, fn, mapHeadStream(this, fn, streamArn, parts.specs), parts.specs);
    acknowledgeTriggerFindings(role);
    // `kafkaless connect --stack` wakes a resumed sink's partitions through it.
    new CfnOutput(this, OUTPUTS.functionName('trigger'), { value: fn.functionName, description: `trigger function: ${FUNCTIONS.trigger.description}` });
    this.trigger = { fn, role, specs: parts.specs };
    (this.functions as Partial<Record<FunctionRole, IFunction>>).trigger = fn;
    return this.trigger;
  }

  /** Lets `grantee` produce: invoke the produce function, or (embedded) do what it does. */
  public grantProduce(grantee: IGrantable, options: GrantOptions = {}): Grant {
    return this.grant(grantee, 'produce', options);
  }

  /** Lets `grantee` consume: fetch and group coordination. */
  public grantConsume(grantee: IGrantable, options: GrantOptions = {}): Grant {
    return this.grant(grantee, 'consume', options);
  }

  /** Lets `grantee` administer topics and groups. */
  public grantAdmin(grantee: IGrantable, options: GrantOptions = {}): Grant {
    return this.grant(grantee, 'admin', options);
  }

  /** The environment a role's function gets: exactly envNamesFor(role). */
  private environmentFor(role: FunctionRole, logLevel: string): Record<EnvName, string> {
    return this.environmentOf(envNamesFor(role), `the ${role} function`, logLevel);
  }

  private environmentOf(names: readonly EnvName[], who: string, logLevel: string): Record<EnvName, string> {
    const values = new Map<EnvName, string>([
      [ENV.bucket, this.bucket.bucketName],
      [ENV.logLevel, logLevel],
      ...TABLE_ROLES.map((table): [EnvName, string] => [TABLES[table].env, this.tables[table].tableName]),
    ]);
    const environment: Partial<Record<EnvName, string>> = {};
    for (const name of names) {
      const value = values.get(name);
      if (value === undefined) throw new Error(`No value for environment variable ${name} of ${who}`);
      environment[name] = value;
    }
    return environment as Record<EnvName, string>;
  }

  private createFunctions(props: KafkalessProps, removalPolicy: RemovalPolicy): Partial<Record<FunctionRole, IFunction>> {
    const projectRoot = props.projectRoot ?? findProjectRoot();
    const lockFile = lockFileAt(projectRoot);
    return byRole(FUNCTION_ROLES, (role) => {
      const settings = props.functionSettings?.[role];
      const { fn } = createBrokerFunction(this, role, {
        projectRoot,
        ...(lockFile === undefined ? {} : { lockFile }),
        memorySizeMb: settings?.memorySizeMb ?? props.memorySizeMb ?? DEFAULT_MEMORY_SIZE_MB,
        timeout: settings?.timeout ?? props.timeout ?? ROLE_TIMEOUTS[role] ?? DEFAULT_TIMEOUT,
        logRetention: props.logRetention ?? DEFAULT_LOG_RETENTION,
        removalPolicy,
        ...(props.functionNamePrefix === undefined ? {} : { functionName: `${props.functionNamePrefix}-${role}` }),
        environment: this.environmentFor(role, props.logLevel ?? DEFAULT_LOG_LEVEL),
        permissions: permissionsFor(FUNCTIONS[role], this.targets),
      });
      return fn;
    });
  }

  private createGateway(props: KafkalessProps, removalPolicy: RemovalPolicy): GatewayService {
    return new GatewayService(this, 'Gateway', props.gateway ?? {}, {
      projectRoot: props.projectRoot ?? findProjectRoot(),
      environment: this.environmentOf(envNamesForRoles(GATEWAY_ROLES), 'the gateway', props.logLevel ?? DEFAULT_LOG_LEVEL),
      permissions: permissionsFor(mergeAccess(GATEWAY_ROLES.map((role) => FUNCTIONS[role])), this.targets),
      logRetention: props.logRetention ?? DEFAULT_LOG_RETENTION,
      removalPolicy,
    });
  }

  /** The one place grants are made; every public grant method calls it. */
  private grant(grantee: IGrantable, scope: GrantScope, options: GrantOptions): Grant {
    const transport = options.transport ?? 'lambda';
    if (transport !== 'lambda' && transport !== 'embedded') {
      throw new Error(`Unknown transport '${String(transport)}': use 'lambda' or 'embedded'`);
    }
    const roles = rolesServing(scope);
    const permissions = transport === 'lambda' ? this.invokePermissions(roles) : this.dataPermissions(roles);
    const grants = permissions.map((permission) =>
      Grant.addToPrincipal({ grantee, actions: [...permission.actions], resourceArns: [...permission.resources] }),
    );
    const [first, ...rest] = grants;
    if (first === undefined) return Grant.drop(grantee, `no kafkaless function serves ${scope}`);
    return rest.reduce((all, grant) => all.combine(grant), first);
  }

  private invokePermissions(roles: readonly FunctionRole[]): Permission[] {
    const arns = roles.flatMap((role) => {
      const fn = this.functions[role];
      return fn === undefined ? [] : [fn.functionArn];
    });
    return arns.length === 0 ? [] : [{ actions: INVOKE_ACTIONS, resources: arns }];
  }

  private dataPermissions(roles: readonly FunctionRole[]): Permission[] {
    if (roles.length === 0) return [];
    return permissionsFor(mergeAccess(roles.map((role) => FUNCTIONS[role])), this.targets);
  }
}
