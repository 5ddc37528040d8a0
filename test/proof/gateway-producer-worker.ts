/**
 * A producer of the gateway proof: a kafkajs or @platformatic/kafka
 * producer (idempotent or not, acks -1) sending 1–3 records with unique
 * values to a seeded partition, one send at a time (kafkajs's idempotent
 * producer keeps one sequence per partition and does not support sends
 * racing one another; the non-idempotent ones would reorder on retries),
 * each recorded as a produce event with the offsets the client reported.
 *
 * An idempotent producer whose send failed is replaced by a new one (a new
 * producer id): the failed batch may have been appended, and the client
 * would give the same sequence number to its next batch, which the broker
 * would rightly take for a retry. Each instance is its own producer in the
 * history (Kafka orders and deduplicates within one producer id).
 */
import { Producer as PlatformaticProducer, type BaseOptions } from '@platformatic/kafka';
import type { Kafka } from 'kafkajs';
import { clientError, KAFKAJS_RETRY, sleep } from './gateway-clients.js';
import { withDeadline } from './watchdog.js';
import type { WorkerBase } from './worker.js';

/** One producer instance: sends records to one partition and answers their offsets (-1: acknowledged, offset unknown). */
export interface RecordSender {
  send(topic: string, partition: number, values: readonly string[]): Promise<number[]>;
  close(): Promise<void>;
}

export interface GatewayProducerOptions extends WorkerBase {
  readonly name: string;
  readonly idempotent: boolean;
  readonly topic: string;
  readonly partitions: number;
  /** Makes a connected producer instance. */
  readonly connect: () => Promise<RecordSender>;
}

const MAX_RECORDS_PER_SEND = 3;

const offsetsFrom = (base: number, count: number): number[] => Array.from({ length: count }, (_, i) => (base < 0 ? -1 : base + i));

export function kafkajsSender(kafka: Kafka, idempotent: boolean): () => Promise<RecordSender> {
  return async () => {
    const producer = kafka.producer({ idempotent, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: KAFKAJS_RETRY });
    await producer.connect();
    return {
      async send(topic, partition, values) {
        const meta = await producer.send({ topic, acks: -1, messages: values.map((value) => ({ partition, value })) });
        const m = meta.find((x) => x.topicName === topic && x.partition === partition);
        if (m?.baseOffset === undefined) throw new Error(`no offset answered for ${topic}-${partition}`);
        return offsetsFrom(Number(m.baseOffset), values.length);
      },
      close: () => producer.disconnect(),
    };
  };
}

export function platformaticSender(options: BaseOptions, idempotent: boolean): () => Promise<RecordSender> {
  return async () => {
    const producer = new PlatformaticProducer({ ...options, idempotent, acks: -1, autocreateTopics: false });
    return {
      async send(topic, partition, values) {
        const result = await producer.send({ acks: -1, messages: values.map((value) => ({ topic, partition, value: Buffer.from(value) })) });
        const o = result.offsets?.find((x) => x.topic === topic && x.partition === partition);
        if (o === undefined) throw new Error(`no offset answered for ${topic}-${partition}`);
        return offsetsFrom(Number(o.offset), values.length);
      },
      close: () => producer.close(),
    };
  };
}

/** Connects, retrying while the gateways fail (a connect is no operation of the run). */
async function connected(o: GatewayProducerOptions): Promise<RecordSender> {
  for (;;) {
    try {
      return await withDeadline(o.connect(), o.stallMs, () => `${o.name}'s connect`, o.onStall);
    } catch {
      await sleep(200);
    }
  }
}

export async function runGatewayProducer(o: GatewayProducerOptions): Promise<void> {
  let instance = 0;
  let sender = await connected(o);
  let name = `${o.name}.${instance}`;
  let sendIndex = 0;
  let valueCount = 0;
  while (o.budget.take()) {
    const partition = Math.floor(o.random() * o.partitions);
    const count = 1 + Math.floor(o.random() * MAX_RECORDS_PER_SEND);
    const values = Array.from({ length: count }, () => `${o.name}/${valueCount++}`);
    const invokedMs = o.history.nowMs();
    const base = { kind: 'produce' as const, producer: name, idempotent: o.idempotent, partition, sendIndex: sendIndex++, values, invokedMs };
    let failed = false;
    try {
      const offsets = await withDeadline(sender.send(o.topic, partition, values), o.stallMs, () => `${name}'s send of ${values.join(', ')} to partition ${partition}`, o.onStall);
      o.history.add({ ...base, completedMs: o.history.nowMs(), outcome: { status: 'ok', offsets } });
    } catch (err) {
      failed = true;
      o.history.add({ ...base, completedMs: o.history.nowMs(), outcome: { status: 'unknown', error: clientError(err) } });
    }
    o.budget.complete();
    if (failed && o.idempotent) {
      await sender.close().catch(() => undefined);
      sender = await connected(o);
      name = `${o.name}.${++instance}`;
      sendIndex = 0;
    }
  }
  await sender.close().catch(() => undefined);
}
