/**
 * The two ways the gateway benchmark reaches the broker: the native client
 * (embedded transport: the broker's handlers in this process), and kafkajs
 * 2.2.4 over TCP to a gateway in this process, on the same tables and
 * bucket. Each path produces one record per request and fetches with the
 * same byte limit, so the figures differ only by the path.
 */
import { createRequire } from 'node:module';
import { Kafka, logLevel } from 'kafkajs';
import { Kafkaless } from '../lib/client/kafkaless.js';
import type { BenchStack } from './local-env.js';

export type PathName = 'native' | 'gateway';

export interface BenchProducer {
  /** Sends one record to `partition` and resolves when it is acknowledged (acks all). */
  send(partition: number, value: Buffer): Promise<void>;
  close(): Promise<void>;
}

export interface BenchReader {
  /** One fetch from `offset`; the records it returned and the next offset. */
  fetch(offset: number): Promise<{ records: number; next: number }>;
  close(): Promise<void>;
}

export interface BenchPath {
  readonly name: PathName;
  /** An idempotent producer of its own (own producer id; for kafkajs, own connections). */
  producer(topic: string): Promise<BenchProducer>;
  reader(topic: string, partition: number, maxBytes: number): Promise<BenchReader>;
  close(): Promise<void>;
}

export function nativePath(env: BenchStack): BenchPath {
  const kafkaless = new Kafkaless({ transport: env.embeddedTransport() });
  return {
    name: 'native',
    async producer(topic) {
      const producer = kafkaless.producer({ 'linger.ms': 0, 'enable.idempotence': true, acks: -1 });
      await producer.connect();
      return {
        send: async (partition, value) => void (await producer.send({ topic, messages: [{ value, partition }] })),
        close: () => producer.disconnect(),
      };
    },
    async reader(topic, partition, maxBytes) {
      const consumer = kafkaless.consumer({ 'auto.offset.reset': 'earliest', 'max.partition.fetch.bytes': maxBytes, 'fetch.max.bytes': maxBytes, 'max.poll.records': Number.MAX_SAFE_INTEGER });
      const tp = { topic, partition };
      consumer.assign([tp]);
      return {
        async fetch(offset) {
          consumer.seek({ ...tp, offset });
          // No wait for data, as kafkajs's fetch below (maxWaitTime 0): there is data at every offset asked.
          const records = await consumer.poll({ timeoutMs: 0 });
          return { records: records.length, next: records.length > 0 ? records[records.length - 1]!.offset + 1 : offset };
        },
        close: () => consumer.disconnect(),
      };
    },
    close: () => kafkaless.close(),
  };
}

interface KafkajsBroker {
  fetch(request: {
    replicaId: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { partitions: { errorCode: number; messages: { offset: string }[] }[] }[] }>;
}

interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findBroker(node: { nodeId: string }): Promise<KafkajsBroker>;
}

/**
 * kafkajs's cluster (its connections, metadata and request codecs), for
 * fetching without a consumer group: its consumer needs one, and the
 * gateway serves none yet. Its consumer fetches through this same
 * `broker.fetch`.
 */
function kafkajsCluster(broker: string): KafkajsCluster {
  const require = createRequire(import.meta.url);
  const Cluster = require('kafkajs/src/cluster/index.js') as new (options: object) => KafkajsCluster;
  const { createLogger } = require('kafkajs/src/loggers/index.js') as { createLogger(options: object): unknown };
  const LoggerConsole = require('kafkajs/src/loggers/console.js') as unknown;
  const socketFactory = require('kafkajs/src/network/socketFactory.js') as () => unknown;
  return new Cluster({
    logger: createLogger({ level: logLevel.NOTHING, logCreator: LoggerConsole }),
    brokers: [broker],
    clientId: 'gateway-bench',
    connectionTimeout: 1000,
    requestTimeout: 30_000,
    enforceRequestTimeout: true,
    socketFactory: socketFactory(),
    retry: { retries: 2 },
  });
}

const READ_COMMITTED = 1;

export function gatewayPath(broker: string): BenchPath {
  const kafka = new Kafka({ clientId: 'gateway-bench', brokers: [broker], logLevel: logLevel.NOTHING });
  return {
    name: 'gateway',
    async producer(topic) {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      return {
        send: async (partition, value) => void (await producer.send({ topic, acks: -1, messages: [{ value, partition }] })),
        close: () => producer.disconnect(),
      };
    },
    async reader(topic, partition, maxBytes) {
      const cluster = kafkajsCluster(broker);
      await cluster.connect();
      await cluster.addTargetTopic(topic);
      const leader = await cluster.findBroker({ nodeId: '0' });
      return {
        async fetch(offset) {
          const response = await leader.fetch({
            replicaId: -1,
            isolationLevel: READ_COMMITTED,
            maxWaitTime: 0,
            minBytes: 1,
            maxBytes,
            topics: [{ topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes }] }],
          });
          const part = response.responses[0]?.partitions[0];
          if (part === undefined || part.errorCode !== 0) throw new Error(`fetch of ${topic}/${partition} at ${offset} failed with error code ${part?.errorCode ?? 'none'}`);
          const fetched = part.messages.filter((m) => Number(m.offset) >= offset);
          return { records: fetched.length, next: fetched.length > 0 ? Number(fetched[fetched.length - 1]!.offset) + 1 : offset };
        },
        close: () => cluster.disconnect(),
      };
    },
    close: async () => undefined,
  };
}
