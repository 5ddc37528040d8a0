/**
 * The DynamoDB Streams source: a batch of a table's stream records (handed
 * by the event source mapping, in order per shard) becomes change records
 * in the connector's topic, keyed by the item's key so one item's changes
 * stay in one partition, in order. Progress is kept per item as Kafka
 * Connect keeps a source's offsets: `connect#<name>#offset#<table>#<key hash>`
 * → the item's last sequence number produced, written after the records
 * were acknowledged. A batch handed again (a retry, a restarted mapping
 * reading from the trim horizon) skips the changes already produced.
 *
 * At least once: a crash after the produce was acknowledged and before the
 * offsets were written produces those changes again. A paused or failed
 * connector throws, so the mapping keeps the records (24 hours in the
 * stream) and hands them again with backoff.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../broker/dispatch.js';
import { Producer } from '../../client/producer/producer.js';
import type { Message } from '../../client/producer/message.js';
import type { Transport } from '../../client/transport.js';
import { KafkalessError } from '../../errors.js';
import type { ConnectorStore } from '../../storage/connector-store.js';
import type { DynamoDbSourceConfig } from '../config/connector-config.js';
import { changeRecord, sequenceAfter, type ChangeRecord } from './change-record.js';

export interface DynamoDbSourceDeps {
  readonly broker: Transport;
  readonly store: ConnectorStore;
  readonly now: () => number;
  readonly log: Logger;
}

export interface CaptureReport {
  readonly produced: number;
  readonly skipped: number;
}

/** The source partition of one item: its table and a hash of its key (DynamoDB keys may be longer than a key of ours). */
export function itemSourcePartition(table: string, key: string): string {
  return `${table}#${createHash('sha256').update(key).digest('hex')}`;
}

export async function captureChanges(deps: DynamoDbSourceDeps, config: DynamoDbSourceConfig, event: unknown): Promise<CaptureReport> {
  const list = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(list)) throw new KafkalessError('InvalidRequest', 'Not a DynamoDB Streams event: no Records');
  const state = await deps.store.taskState(config.name, 0);
  if (state !== 'RUNNING') throw new Error(`Connector ${config.name} is ${state}: its stream records wait in the stream`);
  const changes = list.map((r, i) => changeRecord(config.table, r, i));
  const partitions = changes.map((c) => itemSourcePartition(config.table, c.key));
  const done = await deps.store.offsets(config.name, partitions);
  const fresh: ChangeRecord[] = [];
  const reached = new Map<string, string>();
  changes.forEach((change, i) => {
    const partition = partitions[i]!;
    const last = reached.get(partition) ?? done.get(partition);
    if (last !== undefined && !sequenceAfter(change.sequenceNumber, last)) return;
    fresh.push(change);
    reached.set(partition, change.sequenceNumber);
  });
  if (fresh.length > 0) {
    try {
      await produce(deps.broker, config, fresh);
    } catch (err) {
      if (err instanceof KafkalessError && !err.retriable) {
        // The records' own fault (too large, say): with errors.tolerance=none the task stops, as Connect's would.
        await deps.store.failTask(config.name, 0, { trace: err.stack ?? err.message, failedAtMs: deps.now() });
        deps.log('error', 'connector task failed', { connector: config.name, error: err.message });
      }
      throw err;
    }
    await deps.store.putOffsets(config.name, new Map([...reached].filter(([p, seq]) => done.get(p) !== seq)), deps.now());
  }
  return { produced: fresh.length, skipped: changes.length - fresh.length };
}

async function produce(broker: Transport, config: DynamoDbSourceConfig, changes: readonly ChangeRecord[]): Promise<void> {
  const messages: Message[] = changes.flatMap((c): Message[] => {
    const change: Message = { key: c.key, value: JSON.stringify(c.value), timestamp: c.timestampMs };
    return c.value.op === 'd' && config.tombstonesOnDelete ? [change, { key: c.key, value: null, timestamp: c.timestampMs }] : [change];
  });
  const producer = new Producer(broker, { acks: -1 });
  try {
    await producer.send({ topic: config.topic, messages });
  } finally {
    await producer.disconnect();
  }
}
