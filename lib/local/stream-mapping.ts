/**
 * A DynamoDB stream → function event source mapping, run locally as Lambda
 * runs it: each shard read in order, records filtered by the mapping's
 * patterns, the function invoked synchronously with a batch, and the batch
 * handed again from its first record after a function error, or from the
 * lowest sequence number the function named in `batchItemFailures`. Reading
 * starts at the stream's trim horizon, so a restarted stack also hands what
 * arrived while it was stopping. (On AWS Lambda does this reading, at no
 * charge; locally it is this loop, four reads a second per shard when idle,
 * as Lambda polls.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { InvocationResult } from '../triggers/invocation-outcome.js';
import { matchesAnyFilter } from './event-filter.js';
import type { LocalStreams, StreamRecordJson } from './streams-api.js';
import type { LocalStreamMapping } from './template.js';

export interface StreamMappingOptions {
  readonly mapping: LocalStreamMapping;
  readonly streams: LocalStreams;
  readonly region: string;
  readonly invoke: (functionName: string, payload: string) => Promise<InvocationResult>;
  readonly log: (line: string) => void;
}

const IDLE_POLL_MS = 250;
const SHARD_REFRESH_MS = 2_000;
const RETRY_DELAY_MS = { min: 200, max: 5_000 } as const;

export interface RunningMapping {
  stop(): Promise<void>;
}

export function runStreamMapping(options: StreamMappingOptions): RunningMapping {
  const controller = new AbortController();
  const done = new StreamReader(options, controller.signal).run().catch((err: unknown) => {
    if (!controller.signal.aborted) options.log(`event source mapping ${options.mapping.logicalId} stopped: ${err instanceof Error ? err.message : String(err)}`);
  });
  return {
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

class StreamReader {
  private readonly iterators = new Map<string, string>();
  private readonly closed = new Set<string>();
  /** The last sequence number read per shard: where a new iterator starts after it. */
  private readonly lastRead = new Map<string, string>();
  private failures = 0;

  constructor(
    private readonly options: StreamMappingOptions,
    private readonly signal: AbortSignal,
  ) {}

  async run(): Promise<void> {
    const { mapping, streams } = this.options;
    let streamArn: string | undefined;
    while (streamArn === undefined) {
      streamArn = await streams.streamArn(mapping.tableName);
      if (streamArn === undefined) await this.pause(SHARD_REFRESH_MS);
    }
    let refreshedAt = 0;
    while (!this.signal.aborted) {
      if (Date.now() - refreshedAt > SHARD_REFRESH_MS) {
        await this.refreshShards(streamArn);
        refreshedAt = Date.now();
      }
      let busy = false;
      try {
        for (const shardId of [...this.iterators.keys()]) {
          if (this.signal.aborted) return;
          busy = (await this.readShard(streamArn, shardId)) || busy;
        }
      } catch (err) {
        // A failed read is tried again from the same iterator (Lambda's mappings keep going too).
        if (this.signal.aborted) return;
        this.options.log(`event source mapping ${this.options.mapping.logicalId}: ${err instanceof Error ? err.message : String(err)}`);
        await this.pause(RETRY_DELAY_MS.max);
      }
      if (!busy) await this.pause(IDLE_POLL_MS);
    }
  }

  private async refreshShards(streamArn: string): Promise<void> {
    for (const shard of await this.options.streams.shards(streamArn)) {
      if (this.iterators.has(shard.ShardId) || this.closed.has(shard.ShardId)) continue;
      // A child shard waits until its parent is read to its end, so records of one item stay in order.
      if (shard.ParentShardId !== undefined && this.iterators.has(shard.ParentShardId)) continue;
      const iterator = await this.options.streams.iterator(streamArn, shard.ShardId, 'TRIM_HORIZON');
      if (iterator !== undefined) this.iterators.set(shard.ShardId, iterator);
    }
  }

  /** One batch of one shard; true when records were read. */
  private async readShard(streamArn: string, shardId: string): Promise<boolean> {
    const { mapping, streams } = this.options;
    const iterator = this.iterators.get(shardId)!;
    const { records, next, stale } = await streams.records(iterator, mapping.batchSize);
    if (stale === true) {
      const last = this.lastRead.get(shardId);
      const fresh = await streams.iterator(streamArn, shardId, last === undefined ? 'TRIM_HORIZON' : 'AFTER_SEQUENCE_NUMBER', last);
      if (fresh !== undefined) this.iterators.set(shardId, fresh);
      return false;
    }
    if (records.length === 0) {
      if (next === undefined) {
        this.iterators.delete(shardId);
        this.closed.add(shardId);
      } else this.iterators.set(shardId, next);
      return false;
    }
    const batch = records.filter((r) => matchesAnyFilter(mapping.filterPatterns, r)).map((r) => ({ ...r, eventSourceARN: streamArn }));
    const retryFrom = batch.length === 0 ? undefined : await this.deliver(batch);
    if (retryFrom === undefined) {
      this.failures = 0;
      const last = records[records.length - 1]!.dynamodb?.SequenceNumber;
      if (last !== undefined) this.lastRead.set(shardId, last);
      if (next === undefined) {
        this.iterators.delete(shardId);
        this.closed.add(shardId);
      } else this.iterators.set(shardId, next);
      return true;
    }
    this.failures++;
    await this.pause(Math.min(RETRY_DELAY_MS.max, RETRY_DELAY_MS.min * 2 ** Math.min(this.failures - 1, 10)));
    const again = await streams.iterator(streamArn, shardId, 'AT_SEQUENCE_NUMBER', retryFrom);
    if (again !== undefined) this.iterators.set(shardId, again);
    return true;
  }

  /** Invokes the function; the sequence number to hand again from, or undefined when the batch is done. */
  private async deliver(batch: readonly StreamRecordJson[]): Promise<string | undefined> {
    const { mapping } = this.options;
    const first = batch[0]!.dynamodb?.SequenceNumber;
    let result: InvocationResult;
    try {
      result = await this.options.invoke(mapping.functionName, JSON.stringify({ Records: batch }));
    } catch (err) {
      this.options.log(`event source mapping ${mapping.logicalId}: invoking ${mapping.functionName} failed: ${err instanceof Error ? err.message : String(err)}`);
      return first;
    }
    if (result.functionError !== undefined) {
      this.options.log(`event source mapping ${mapping.logicalId}: ${mapping.functionName} failed (${result.functionError}): ${result.payload.slice(0, 500)}`);
      return first;
    }
    if (!mapping.reportBatchItemFailures) return undefined;
    const failed = failedSequenceNumbers(result.payload);
    if (failed === undefined) return first;
    return failed.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0))[0];
  }

  private async pause(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.signal });
    } catch {
      // Aborted: the loop ends at its next check.
    }
  }
}

/** The sequence numbers named failed ([] for none); undefined when the answer is not a valid partial batch response. */
function failedSequenceNumbers(payload: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = payload === '' ? null : JSON.parse(payload);
  } catch {
    return [];
  }
  const failures = (parsed as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (!Array.isArray(failures)) return [];
  const ids = failures.map((f) => (f as { itemIdentifier?: unknown } | null)?.itemIdentifier);
  if (ids.some((id) => typeof id !== 'string' || !/^\d+$/.test(id))) return undefined;
  return ids as string[];
}
