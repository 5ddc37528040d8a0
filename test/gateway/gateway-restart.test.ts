/**
 * A gateway process killed (SIGKILL) while Kafka clients work through it —
 * idempotent producers, a consumer group of the classic protocol, a
 * transactional producer — then started again on the same port. The
 * clients carry on; nothing acknowledged is lost or written twice, no
 * aborted record is visible, and the group goes on from its committed
 * offsets, skipping nothing.
 */
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../lib/local/free-port.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { gatewayRoot, removeGatewayRoot, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

const TOPIC = 'restart';
const TXN_TOPIC = 'restart-txn';
const GROUP = 'restart-group';
const PARTITIONS = 3;

let t: TestKafkaless;
let root: string;
let port: number;
let gateway: GatewayProcess;

beforeAll(async () => {
  t = await createTestKafkaless();
  await t.kafkaless.admin().createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }, { topic: TXN_TOPIC, numPartitions: 2 }] });
  root = gatewayRoot(t);
  port = await findFreePort();
  gateway = await startGatewayProcess(root, port);
});

afterAll(async () => {
  await gateway.stop('SIGTERM');
  removeGatewayRoot(root);
  await t.close();
});

function kafkaClient(): Kafka {
  return new Kafka({ clientId: 'restart-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 } });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(20);
}

/** Sends one record at a time, each to the partition its number names, until stopped; remembers what was acknowledged. */
function keepProducing(producer: Producer, name: string) {
  const acknowledged: string[] = [];
  let running = true;
  const done = (async () => {
    for (let n = 0; running; n += 1) {
      const value = `${name}-${n}`;
      await producer.send({ topic: TOPIC, acks: -1, messages: [{ partition: n % PARTITIONS, value }] });
      acknowledged.push(value);
    }
  })();
  return { acknowledged, stop: async () => { running = false; await done; } };
}

/**
 * Transactions of two records (one per partition): two of three committed,
 * the third aborted. One that fails midway is in doubt; the producer is then
 * replaced by a new one with the same transactional id (kafkajs's cannot go
 * on after a failed commit), whose initialization settles it.
 */
function keepTransacting(newProducer: () => Producer) {
  const outcome = { committed: [] as number[], aborted: [] as number[], inDoubt: [] as number[] };
  let running = true;
  let producer = newProducer();
  const done = (async () => {
    await producer.connect();
    for (let n = 0; running; n += 1) {
      const txn = await producer.transaction();
      try {
        await txn.send({ topic: TXN_TOPIC, messages: [{ partition: 0, value: `t${n}-a` }, { partition: 1, value: `t${n}-b` }] });
        if (n % 3 === 2) {
          await txn.abort();
          outcome.aborted.push(n);
        } else {
          await txn.commit();
          outcome.committed.push(n);
        }
      } catch {
        outcome.inDoubt.push(n);
        await producer.disconnect().catch(() => undefined);
        producer = newProducer();
        await producer.connect();
      }
    }
  })();
  return { outcome, stop: async () => { running = false; await done; await producer.disconnect(); } };
}

/** A group member recording every record handed to it. */
async function joinGroup(consumer: Consumer, seen: { partition: number; offset: number; value: string }[]): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({
    autoCommitInterval: 300,
    eachMessage: async ({ partition, message }) => {
      seen.push({ partition, offset: Number(message.offset), value: message.value!.toString() });
    },
  });
}

async function readNatively(topic: string): Promise<{ partition: number; offset: number; value: string }[]> {
  const ends = await t.kafkaless.admin().fetchTopicOffsets(topic);
  const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest', 'isolation.level': 'read_committed' });
  consumer.assign(ends.map((e) => ({ topic, partition: e.partition })));
  const total = ends.reduce((sum, e) => sum + Number(e.high), 0);
  const records: { partition: number; offset: number; value: string }[] = [];
  while (records.length < total) {
    for (const r of await consumer.poll({ timeoutMs: 100 })) records.push({ partition: r.partition, offset: Number(r.offset), value: r.value!.toString() });
  }
  await consumer.disconnect();
  return records;
}

describe('a gateway killed and restarted under load', () => {
  it('loses no acknowledged record, writes none twice, shows no aborted one, and its group skips nothing', async () => {
    const kafka = kafkaClient();
    const producers = ['a', 'b', 'c'].map((name) => ({ name, producer: kafka.producer({ idempotent: true, maxInFlightRequests: 1 }) }));
    const consumer = kafka.consumer({ groupId: GROUP, sessionTimeout: 10_000, heartbeatInterval: 1000, rebalanceTimeout: 10_000 });
    await Promise.all(producers.map((p) => p.producer.connect()));
    const seen: { partition: number; offset: number; value: string }[] = [];
    await joinGroup(consumer, seen);

    const work = producers.map((p) => ({ ...p, ...keepProducing(p.producer, p.name) }));
    const txns = keepTransacting(() => kafka.producer({ transactionalId: 'restart-txn-id', idempotent: true, maxInFlightRequests: 1 }));
    const settled = () => txns.outcome.committed.length + txns.outcome.aborted.length;
    await Promise.all(work.map((w) => until(() => w.acknowledged.length >= 15)));
    await until(() => settled() >= 3 && seen.length >= 15);

    // Every client has a request in flight (or a heartbeat due) when the process dies.
    expect(await gateway.stop('SIGKILL')).toBeNull();
    const atKill = { acks: work.map((w) => w.acknowledged.length), txns: settled(), seen: seen.length };
    await sleep(300);
    gateway = await startGatewayProcess(root, port);
    await Promise.all(work.map((w, k) => until(() => w.acknowledged.length >= atKill.acks[k]! + 15)));
    await until(() => settled() >= atKill.txns + 3 && seen.length >= atKill.seen + 15);
    await Promise.all(work.map((w) => w.stop()));
    await txns.stop();

    // The log: every acknowledged record once, in each producer's order per partition.
    const stored = (await readNatively(TOPIC)).map((r) => r.value);
    expect(stored.length - new Set(stored).size).toBe(0);
    const storedSet = new Set(stored);
    for (const w of work) {
      expect(w.acknowledged.filter((v) => !storedSet.has(v))).toEqual([]);
      const mine = stored.filter((v) => v.startsWith(`${w.name}-`)).map((v) => Number(v.slice(w.name.length + 1)));
      for (let p = 0; p < PARTITIONS; p += 1) {
        const inPartition = mine.filter((n) => n % PARTITIONS === p);
        expect(inPartition).toEqual([...inPartition].sort((x, y) => x - y));
      }
    }

    // Transactions: committed ones whole and once, aborted ones never, the one in doubt all or nothing.
    const txnValues = (await readNatively(TXN_TOPIC)).map((r) => r.value);
    expect(txnValues.length - new Set(txnValues).size).toBe(0);
    const present = (n: number) => [txnValues.includes(`t${n}-a`), txnValues.includes(`t${n}-b`)];
    for (const n of txns.outcome.committed) expect(present(n)).toEqual([true, true]);
    for (const n of txns.outcome.aborted) expect(present(n)).toEqual([false, false]);
    for (const n of txns.outcome.inDoubt) expect(new Set(present(n)).size).toBe(1);
    const known = new Set([...txns.outcome.committed, ...txns.outcome.inDoubt]);
    expect(txnValues.filter((v) => !known.has(Number(/^t(\d+)-/.exec(v)![1])))).toEqual([]);

    // The group: it reads on through the restart from its committed offsets, so every stored record is handed over (at least once).
    await until(() => new Set(seen.map((r) => r.value)).size >= stored.length);
    for (let p = 0; p < PARTITIONS; p += 1) {
      const offsets = new Set(seen.filter((r) => r.partition === p).map((r) => r.offset));
      const high = stored.filter((v) => Number(v.slice(2)) % PARTITIONS === p).length;
      expect([...Array(high).keys()].filter((o) => !offsets.has(o))).toEqual([]);
    }
    await consumer.disconnect();
    await Promise.all(producers.map((p) => p.producer.disconnect()));
    const committed = await t.kafkaless.admin().fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    expect(committed[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0)).toBe(stored.length);
  });
});
