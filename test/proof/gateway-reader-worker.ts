/**
 * Raw fetches through a gateway with @platformatic/kafka's lower-level
 * `fetch` (one Fetch request to the broker, as a consumer's fetcher sends
 * it): one partition from a random offset up to the highest acknowledged
 * one, recorded as a read with the high watermark the reply gave, between
 * the time the call was made and the time it answered — so every read check
 * applies, the linearizable high watermark included. With `isolationLevel`
 * 1 (read_committed) the same fetch reads the transactions topic. And a few
 * reads with kcat (librdkafka), which print records but no high watermark.
 */
import { execFile } from 'node:child_process';
import { Consumer, type BaseOptions } from '@platformatic/kafka';
import type { ReadRecord } from './history.js';
import { withDeadline } from './watchdog.js';
import type { WorkerBase } from './worker.js';

const FETCH_BYTES = 1024;
/** Kafka's control batches (transaction markers) carry this attribute bit: no records of the log's own. */
const CONTROL_BIT = 0x20;
const OFFSET_OUT_OF_RANGE = 1;

export interface PartitionRead {
  readonly records: ReadRecord[];
  readonly highWatermark: number;
}

/** A @platformatic/kafka consumer used for its lower-level fetch only (it joins no group). */
export class RawFetcher {
  private readonly consumer: Consumer;
  private readonly topicIds = new Map<string, string>();

  constructor(options: BaseOptions) {
    this.consumer = new Consumer({ ...options, groupId: 'proof-raw-fetches-join-no-group' });
  }

  private async topicId(topic: string): Promise<string> {
    let id = this.topicIds.get(topic);
    if (id === undefined) {
      id = (await this.consumer.metadata({ topics: [topic] })).topics.get(topic)!.id;
      this.topicIds.set(topic, id);
    }
    return id;
  }

  /** Undefined when the partition answered an error other than OffsetOutOfRange (which reads nothing, with the high watermark). */
  async fetch(topic: string, partition: number, offset: number, isolationLevel: 0 | 1): Promise<PartitionRead | undefined> {
    const topicId = await this.topicId(topic);
    const response = await this.consumer.fetch({
      node: 0,
      maxWaitTime: 0,
      isolationLevel,
      topics: [{ topicId, partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: BigInt(offset), lastFetchedEpoch: -1, partitionMaxBytes: FETCH_BYTES }] }],
    });
    const p = response.responses.find((r) => r.topicId === topicId)?.partitions.find((x) => x.partitionIndex === partition);
    if (p === undefined || (p.errorCode !== 0 && p.errorCode !== OFFSET_OUT_OF_RANGE)) return undefined;
    const records: ReadRecord[] = [];
    for (const batch of p.errorCode === 0 ? (p.records ?? []) : []) {
      if ((batch.attributes & CONTROL_BIT) !== 0) continue;
      for (const r of batch.records) {
        const at = Number(batch.firstOffset) + r.offsetDelta;
        if (at >= offset) records.push({ offset: at, value: r.value === null || r.value === undefined ? null : Buffer.from(r.value).toString() });
      }
    }
    return { records, highWatermark: Number(p.highWatermark) };
  }

  close(): Promise<void> {
    return this.consumer.close();
  }
}

export interface GatewayReaderOptions extends WorkerBase {
  readonly name: string;
  readonly fetcher: RawFetcher;
  readonly topic: string;
  readonly partitions: number;
  readonly readShare: number;
  readonly reads: { count: number };
  readonly knownEnd: (partition: number) => number;
}

export async function runGatewayReader(o: GatewayReaderOptions): Promise<void> {
  while (await o.budget.takeWithin(o.reads, o.readShare)) {
    const partition = Math.floor(o.random() * o.partitions);
    const offset = Math.floor(o.random() * (o.knownEnd(partition) + 1));
    const invokedMs = o.history.nowMs();
    try {
      const read = await withDeadline(o.fetcher.fetch(o.topic, partition, offset, 0), o.stallMs, () => `${o.name}'s fetch`, o.onStall);
      if (read !== undefined) {
        o.history.add({ kind: 'read', reader: `${o.name} fetch`, partition, fromOffset: offset, invokedMs, completedMs: o.history.nowMs(), records: read.records, highWatermark: read.highWatermark });
      }
    } catch {
      // A failed read tells nothing; faults make many.
    }
    o.budget.complete();
  }
  await o.fetcher.close().catch(() => undefined);
}

export interface KcatReaderOptions extends WorkerBase {
  readonly name: string;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly partitions: number;
  readonly readShare: number;
  readonly reads: { count: number };
  readonly knownEnd: (partition: number) => number;
}

const KCAT_RECORDS = 50;
const KCAT_TIMEOUT_MS = 60_000;

/** kcat (librdkafka) reading up to 50 records of one partition from an offset, through one gateway or the other; null when it failed. */
function kcatRead(broker: string, topic: string, partition: number, offset: number): Promise<ReadRecord[] | null> {
  const args = ['-b', broker, '-C', '-t', topic, '-p', String(partition), '-o', String(offset), '-c', String(KCAT_RECORDS), '-e', '-q', '-X', 'auto.offset.reset=error', '-f', '%o %s\\n'];
  return new Promise((resolve) => {
    execFile('kcat', args, { timeout: KCAT_TIMEOUT_MS }, (err, stdout) => {
      if (err) return resolve(null);
      const lines = stdout.split('\n').filter((l) => l !== '');
      resolve(lines.map((l) => ({ offset: Number(l.slice(0, l.indexOf(' '))), value: l.slice(l.indexOf(' ') + 1) })));
    });
  });
}

/** Reads with kcat: the records it printed, from the offset it was told (no high watermark: kcat prints none). */
export async function runKcatReader(o: KcatReaderOptions): Promise<void> {
  while (await o.budget.takeWithin(o.reads, o.readShare)) {
    const partition = Math.floor(o.random() * o.partitions);
    const offset = Math.floor(o.random() * (o.knownEnd(partition) + 1));
    const broker = o.brokers[Math.floor(o.random() * o.brokers.length)]!;
    const invokedMs = o.history.nowMs();
    // A kcat that failed (or could not be started) read nothing the history needs.
    const records = await kcatRead(broker, o.topic, partition, offset).catch(() => null);
    if (records !== null) o.history.add({ kind: 'read', reader: `${o.name} kcat`, partition, fromOffset: offset, invokedMs, completedMs: o.history.nowMs(), records });
    o.budget.complete();
  }
}
