/**
 * The client's entry point, kafkajs-style:
 *
 *   const kafkaless = new Kafkaless({ functions: { admin: 'Kafkaless-admin' } });
 *   const admin = kafkaless.admin();
 *
 * Over Lambda by default (function names given, or `stackName` to read them
 * from a deployed stack); pass `transport` for another one, e.g. the embedded
 * transport from `kafkaless/embedded`.
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
import { functionsFromStack } from './stack-outputs.js';
import type { InvokeOptions, Transport } from './transport.js';
import { LambdaTransport } from './transports/lambda-transport.js';

export interface KafkalessOptions {
  readonly transport?: Transport;
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

export class Kafkaless {
  readonly transport: Transport;

  constructor(options: KafkalessOptions = {}) {
    if (options.transport !== undefined) this.transport = options.transport;
    else if (options.functions !== undefined) this.transport = new LambdaTransport(lambdaOptions(options, options.functions));
    else if (options.stackName !== undefined) this.transport = new StackLambdaTransport({ ...options, stackName: options.stackName });
    else throw new TypeError('Kafkaless needs a transport, function names (functions), or a deployed stack name (stackName)');
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
