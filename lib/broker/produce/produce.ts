/**
 * The produce path (docs/ARCHITECTURE.md, "The produce path"): validate
 * everything, put one ingest object per commit, then one DynamoDB
 * transaction per commit that assigns offsets. On a stale head or producer state the commit is retried with the
 * current values (handed back by the failed condition) after a jittered
 * backoff; the ingest object is not rewritten, because offsets live in the
 * index.
 */
import { KafkalessError } from '../../errors.js';
import { partitionKey } from '../../names.js';
import type { ProducedEntry, ProduceReply } from '../../protocol/log-replies.js';
import type { ProduceRequest } from '../../protocol/log-requests.js';
import { retry } from '../../retry.js';
import { DYNAMODB_TRANSACTION_ITEMS } from '../../limits.js';
import type { AppendCommitter, AppendEntry } from '../../storage/append-commit.js';
import type { PartitionHead } from '../../storage/partition-heads.js';
import { stateMapKey, type ProducerPartitionState, type ProducerStates } from '../../storage/producer-states.js';
import { judgeSequence, type SequenceVerdict } from './idempotence.js';
import { objectCollected } from './ingest-key.js';
import type { LogWriterDeps } from './log-writer-deps.js';
import { batchLocation, planCommits, prepareEntries, type PreparedEntry } from './prepare.js';

export interface ProduceDeps extends LogWriterDeps {
  readonly producers: ProducerStates;
  readonly committer: AppendCommitter;
  /** What this instance saw at its last commits: a warm guess; a stale one only fails a condition. */
  readonly headCache: Map<string, PartitionHead>;
  readonly producerCache: Map<string, ProducerPartitionState | undefined>;
}

/** Attempts per commit under contention before the producer is told to retry. */
export const MAX_COMMIT_ATTEMPTS = 60;

class CommitConflict extends Error {
  readonly retriable = true;
}

export async function produce(deps: ProduceDeps, request: ProduceRequest): Promise<ProduceReply> {
  const prepared = await prepareEntries(request, deps.topics, deps.now());
  const results: ProducedEntry[] = new Array(prepared.length);
  for (const commit of planCommits(prepared, DYNAMODB_TRANSACTION_ITEMS)) {
    for (const r of await produceCommit(deps, commit)) results[r.index] = r.entry;
  }
  return { entries: results };
}

interface Expectation {
  head: PartitionHead;
  producer: ProducerPartitionState | undefined;
  /** Whether `producer` was read (or handed back by a failed condition) during this request, not guessed from the cache. */
  producerFresh: boolean;
}

async function produceCommit(deps: ProduceDeps, entries: PreparedEntry[]): Promise<{ index: number; entry: ProducedEntry }[]> {
  const objectKey = deps.ingestKey(deps.now());
  const positions: number[] = [];
  let size = 0;
  for (const e of entries) {
    positions.push(size);
    size += e.batch.bytes.length;
  }
  await deps.objects.put(objectKey, Buffer.concat(entries.map((e) => e.batch.bytes), size));
  await deps.faults.at('produce.afterUpload', { objectKey });

  const expectations = await loadExpectations(deps, entries);
  const done: { index: number; entry: ProducedEntry }[] = [];
  let pending = entries.map((entry, i) => ({ entry, position: positions[i]! }));

  await retry(
    async (attempt) => {
      const toAppend: typeof pending = [];
      for (const p of pending) {
        const expectation = expectations.get(keyOf(p.entry))!;
        const verdict = p.entry.idempotent ? await judgeFresh(deps, p.entry, expectation) : { kind: 'append' as const };
        if (verdict.kind === 'duplicate') done.push({ index: p.entry.index, entry: reply(p.entry, verdict.baseOffset, expectation.head, true) });
        else toAppend.push(p);
      }
      pending = toAppend;
      if (pending.length === 0) return;
      const appendTime = deps.now();
      const outcome = await deps.committer.commit({
        objectKey,
        appendTime,
        token: `${objectKey.slice(-26)}-${attempt}`,
        topics: uniqueTopics(pending.map((p) => p.entry)),
        entries: pending.map((p) => appendEntry(p.entry, objectKey, p.position, expectations.get(keyOf(p.entry))!)),
      });
      if (outcome.committed) {
        for (const p of pending) {
          const expectation = expectations.get(keyOf(p.entry))!;
          done.push({ index: p.entry.index, entry: reply(p.entry, expectation.head.highWatermark, expectation.head, false) });
          remember(deps, p.entry, expectation, appendTime);
        }
        pending = [];
        return;
      }
      if (outcome.deletedTopics.length > 0) {
        outcome.deletedTopics.forEach((t) => deps.topics.forget(t));
        const topic = outcome.deletedTopics[0]!;
        throw new KafkalessError('UnknownTopicOrPartition', `Topic '${topic}' was deleted while producing to it.`, { context: { topic } });
      }
      if (outcome.objectCollected) throw objectCollected(objectKey);
      await refresh(deps, pending.map((p) => p.entry), expectations, outcome.staleHeads, outcome.staleProducers);
      throw new CommitConflict('the partition head or producer state moved');
    },
    {
      maxAttempts: MAX_COMMIT_ATTEMPTS,
      initialDelayMs: 4,
      maxDelayMs: 250,
      random: deps.random,
      isRetriable: (err) => err instanceof CommitConflict || (err as { retriable?: boolean }).retriable === true && !(err instanceof KafkalessError),
    },
  ).catch((err: unknown) => {
    if (err instanceof CommitConflict) {
      // Kafka's REQUEST_TIMED_OUT (retriable): the commit did not get through in time; nothing was appended.
      throw new KafkalessError('RequestTimedOut', `The commit did not get through: other writers kept moving the partition heads for ${MAX_COMMIT_ATTEMPTS} attempts, and nothing was appended; retry the request (the producer does so on its own).`, { cause: err });
    }
    throw err;
  });
  await deps.faults.at('produce.afterCommit', { objectKey });
  return done;
}

/**
 * Judges a batch's sequence. A verdict against state guessed from this
 * instance's cache is never final: another instance may have appended this
 * producer's later batches meanwhile, so the state is read before an error.
 */
async function judgeFresh(deps: ProduceDeps, e: PreparedEntry, expectation: Expectation): Promise<SequenceVerdict> {
  try {
    return judgeSequence(expectation.producer, sequenced(e), contextOf(e));
  } catch (err) {
    if (expectation.producerFresh || !(err instanceof KafkalessError)) throw err;
    const pid = e.batch.header.producerId;
    const key = stateMapKey(pid, e.topic.topicId, e.partition);
    const states = await deps.producers.getMany([{ producerId: pid, topicId: e.topic.topicId, partition: e.partition }]);
    expectation.producer = states.get(key);
    expectation.producerFresh = true;
    deps.producerCache.set(key, expectation.producer);
    return judgeSequence(expectation.producer, sequenced(e), contextOf(e));
  }
}

function keyOf(e: PreparedEntry): string {
  return partitionKey(e.topic.topicId, e.partition);
}

function contextOf(e: PreparedEntry): { topic: string; partition: number } {
  return { topic: e.topic.name, partition: e.partition };
}

function sequenced(e: PreparedEntry) {
  const h = e.batch.header;
  return { producerId: h.producerId, producerEpoch: h.producerEpoch, baseSequence: h.baseSequence, lastSequence: e.lastSequence };
}

function uniqueTopics(entries: readonly PreparedEntry[]): { name: string; topicId: string }[] {
  const byName = new Map(entries.map((e) => [e.topic.name, e.topic.topicId]));
  return [...byName].map(([name, topicId]) => ({ name, topicId }));
}

function appendEntry(e: PreparedEntry, objectKey: string, position: number, expectation: Expectation): AppendEntry {
  const h = e.batch.header;
  return {
    topicId: e.topic.topicId,
    partition: e.partition,
    expectedHighWatermark: expectation.head.highWatermark,
    offsetCount: e.batch.offsetCount,
    batch: { ...batchLocation(e, objectKey, position), baseSequence: h.baseSequence, isTransactional: false },
    ...(e.idempotent ? { producer: { ...sequenced(e), expected: expectation.producer } } : {}),
  };
}

function reply(e: PreparedEntry, baseOffset: number, head: PartitionHead, duplicate: boolean): ProducedEntry {
  return {
    topic: e.topic.name,
    partition: e.partition,
    baseOffset,
    logAppendTime: e.logAppendTime,
    logStartOffset: head.logStartOffset,
    ...(duplicate ? { duplicate: true } : {}),
  };
}

/** Heads and producer states to expect: this instance's cache, else one consistent read. */
async function loadExpectations(deps: ProduceDeps, entries: readonly PreparedEntry[]): Promise<Map<string, Expectation>> {
  const out = new Map<string, Expectation>();
  const missingHeads = new Map<string, number[]>();
  const missingProducers: { producerId: number; topicId: string; partition: number }[] = [];
  for (const e of entries) {
    const cachedHead = deps.headCache.get(keyOf(e));
    if (cachedHead === undefined) missingHeads.set(e.topic.topicId, [...(missingHeads.get(e.topic.topicId) ?? []), e.partition]);
    const pid = e.batch.header.producerId;
    if (e.idempotent && !deps.producerCache.has(stateMapKey(pid, e.topic.topicId, e.partition))) {
      missingProducers.push({ producerId: pid, topicId: e.topic.topicId, partition: e.partition });
    }
  }
  for (const [topicId, partitions] of missingHeads) {
    for (const head of await deps.heads.getMany(topicId, partitions)) deps.headCache.set(partitionKey(topicId, head.partition), head);
  }
  if (missingProducers.length > 0) {
    const states = await deps.producers.getMany(missingProducers);
    for (const k of missingProducers) {
      const key = stateMapKey(k.producerId, k.topicId, k.partition);
      deps.producerCache.set(key, states.get(key));
    }
  }
  const readNow = new Set(missingProducers.map((k) => stateMapKey(k.producerId, k.topicId, k.partition)));
  for (const e of entries) {
    const producerKey = stateMapKey(e.batch.header.producerId, e.topic.topicId, e.partition);
    out.set(keyOf(e), {
      head: deps.headCache.get(keyOf(e))!,
      producer: e.idempotent ? deps.producerCache.get(producerKey) : undefined,
      producerFresh: readNow.has(producerKey),
    });
  }
  return out;
}

async function refresh(
  deps: ProduceDeps,
  entries: readonly PreparedEntry[],
  expectations: Map<string, Expectation>,
  staleHeads: ReadonlyMap<string, PartitionHead>,
  staleProducers: ReadonlyMap<string, ProducerPartitionState | undefined>,
): Promise<void> {
  for (const e of entries) {
    const key = keyOf(e);
    const expectation = expectations.get(key)!;
    let head = staleHeads.get(key);
    if (head !== undefined && head.highWatermark < 0) head = await deps.heads.get(e.topic.topicId, e.partition);
    if (head !== undefined) {
      expectation.head = head;
      deps.headCache.set(key, head);
    }
    if (staleProducers.has(key)) {
      expectation.producer = staleProducers.get(key);
      expectation.producerFresh = true;
      deps.producerCache.set(stateMapKey(e.batch.header.producerId, e.topic.topicId, e.partition), expectation.producer);
    }
  }
}

function remember(deps: ProduceDeps, e: PreparedEntry, expectation: Expectation, appendTime: number): void {
  const key = keyOf(e);
  const head = expectation.head;
  deps.headCache.set(key, {
    ...head,
    highWatermark: head.highWatermark + e.batch.offsetCount,
    lastAppendTime: appendTime,
    bytes: head.bytes + e.batch.bytes.length,
    exists: true,
  });
  if (!e.idempotent) return;
  const h = e.batch.header;
  const previous = expectation.producer !== undefined && expectation.producer.producerEpoch === h.producerEpoch ? expectation.producer.batches : [];
  deps.producerCache.set(stateMapKey(h.producerId, e.topic.topicId, e.partition), {
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    lastSequence: e.lastSequence,
    batches: [...previous, { baseSequence: h.baseSequence, lastSequence: e.lastSequence, baseOffset: head.highWatermark, appendTime }].slice(-5),
  });
}
