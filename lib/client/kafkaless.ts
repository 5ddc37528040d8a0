/**
 * The client's entry point, kafkajs-style:
 *
 *   const kafkaless = new Kafkaless({ local: true });   // the stack `npm start` runs
 *   const admin = kafkaless.admin();
 *
 * Over Lambda by default: the local stack (`local`), function names
 * (`functions`), a deployed stack whose outputs name them (`stackName`), or,
 * given none of these, the environment (`KAFKALESS_<ROLE>_FUNCTION`,
 * `KAFKALESS_STACK_NAME`). Pass `transport` for another one, e.g. the
 * embedded transport from `kafkaless/embedded`.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { FunctionRole } from '../names.js';
import { Admin } from './admin.js';
import { Consumer } from './consumer/consumer.js';
import type { ConsumerConfig } from './consumer/config.js';
import { isGroupConfig, type GroupConsumerConfig } from './consumer/group-config.js';
import { GroupConsumer } from './consumer/group-consumer.js';
import type { ProducerConfig } from './producer/config.js';
import type { TransactionalProducerConfig } from './producer/transaction-config.js';
import { Producer } from './producer/producer.js';
import { functionsFromEnv, functionEnvName, STACK_NAME_ENV, stackNameFromEnv } from './client-env.js';
import { localTarget, type LocalOptions } from './local-target.js';
import { functionsFromStack } from './stack-outputs.js';
import type { InvokeOptions, Transport } from './transport.js';
import { LambdaTransport } from './transports/lambda-transport.js';

export interface KafkalessOptions {
  readonly transport?: Transport;
  /**
   * The local stack (`npm start`, `kafkaless local`): its Lambda endpoint,
   * region and function names from `.kafkaless/local.json`, found from the
   * working directory upwards (or from `local.from`); dummy credentials.
   */
  readonly local?: boolean | LocalOptions;
  readonly functions?: Readonly<Partial<Record<FunctionRole, string>>>;
  readonly stackName?: string;
  readonly region?: string;
  /** Lambda endpoint override (local stack, LocalStack). */
  readonly endpoint?: string;
  readonly lambdaClient?: LambdaClient;
}

/** Resolves the function names from the stack on first use. */
class StackLambdaTransport implements Transport {
  private inner: Promise<LambdaTransport> | undefined;
  constructor(private readonly options: KafkalessOptions & { stackName: string }) {}

  private get transport(): Promise<LambdaTransport> {
    this.inner ??= functionsFromStack(this.options.stackName, this.options.region !== undefined ? { region: this.options.region } : {}).then(
      (functions) => new LambdaTransport(lambdaOptions(this.options, functions)),
    );
    return this.inner;
  }

  async invoke(role: FunctionRole, request: object, options?: InvokeOptions): Promise<unknown> {
    return (await this.transport).invoke(role, request, options);
  }

  async close(): Promise<void> {
    if (this.inner) await (await this.inner).close();
  }
}

function lambdaOptions(options: KafkalessOptions, functions: Partial<Record<FunctionRole, string>>) {
  return {
    functions,
    ...(options.lambdaClient !== undefined ? { client: options.lambdaClient } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
  };
}

function transportFor(options: KafkalessOptions): Transport {
  const local = options.local === true ? {} : options.local === false ? undefined : options.local;
  const given = (['transport', 'functions', 'stackName'] as const).filter((name) => options[name] !== undefined);
  if (local !== undefined && given.length > 0) {
    throw new TypeError(`Kafkaless takes local or ${given.join(' and ')}, not both`);
  }
  if (options.transport !== undefined) return options.transport;
  if (local !== undefined) {
    const target = localTarget(local);
    return new LambdaTransport(options.lambdaClient !== undefined ? { functions: target.functions, client: options.lambdaClient } : target);
  }
  if (options.functions !== undefined) return new LambdaTransport(lambdaOptions(options, options.functions));
  if (options.stackName !== undefined) return new StackLambdaTransport({ ...options, stackName: options.stackName });
  const fromEnv = functionsFromEnv();
  if (Object.keys(fromEnv).length > 0) return new LambdaTransport(lambdaOptions(options, fromEnv));
  const stackName = stackNameFromEnv();
  if (stackName !== undefined) return new StackLambdaTransport({ ...options, stackName });
  throw new TypeError(
    'Kafkaless needs a target: local: true (the stack `npm start` runs), function names (functions), a deployed stack (stackName), ' +
      `or the environment (${functionEnvName('produce')} and the like, or ${STACK_NAME_ENV}); or a transport`,
  );
}

export class Kafkaless {
  readonly transport: Transport;

  constructor(options: KafkalessOptions = {}) {
    this.transport = transportFor(options);
  }

  admin(): Admin {
    return new Admin(this.transport);
  }

  /**
   * A producer; Kafka's config names (`acks`, `linger.ms`, `batch.size`, `enable.idempotence`, …);
   * with `transactional.id`, a transactional producer (`transaction()`, or `initTransactions`/`beginTransaction`/…).
   */
  producer(config: ProducerConfig | TransactionalProducerConfig = {}): Producer {
    return new Producer(this.transport, config);
  }

  /**
   * A consumer that is assigned partitions by hand (`assign`, `seek`, `poll`, `run`); with a
   * `group.id` (or `groupId`), a member of that consumer group (`subscribe`, `run`, `poll`, commits).
   * Both run the same consume loop: `run()` resolves once started, retries what can be retried
   * (`consumer.retry`) and reports a fatal error as `consumer.crash` (see docs/CONSUMER.md).
   */
  consumer(config: GroupConsumerConfig & ({ readonly 'group.id': string } | { readonly groupId: string })): GroupConsumer;
  consumer(config?: ConsumerConfig): Consumer;
  consumer(config: ConsumerConfig | GroupConsumerConfig = {}): Consumer | GroupConsumer {
    return isGroupConfig(config) ? new GroupConsumer(this.transport, config) : new Consumer(this.transport, config);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
