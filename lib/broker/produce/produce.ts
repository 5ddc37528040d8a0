/**
 * The produce path (docs/ARCHITECTURE.md, "The produce path"): validate each
 * request on its own, put one ingest object for all of them, then one
 * DynamoDB transaction per commit that assigns offsets. One request is the
 * common case; a long-lived process hands in the requests of a linger window
 * at once (./produce-aggregator.ts), and they share the object and the
 * commits: per partition the head moves once and one index item covers the
 * batches lying back to back. Each request keeps its own outcome: a bad or
 * fenced one fails alone, and one request is never split across commits
 * unless it is too large for one transaction by itself.
 *
 * On a stale head or producer state a commit is retried with the current
 * values (handed back by the failed condition) after a jittered backoff; the
 * ingest object is not rewritten, because offsets live in the index.
 */
import { KafkalessError } from '../../errors.js';
import { partitionKey } from '../../names.js';
import type { ProducedEntry, ProduceReply } from '../../protocol/log-replies.js';
import type { ProduceRequest } from '../../protocol/log-requests.js';
import { retry } from '../../retry.js';
import { DYNAMODB_TRANSACTION_ITEMS } from '../../limits.js';
import type { AppendCommitter, AppendEntry, IndexRun, ProducerAdvance } from '../../storage/append-commit.js';
import type { PartitionHead } from '../../storage/partition-heads.js';
import { stateMapKey, REMEMBERED_BATCHES, type ProducerPartitionState, type ProducerStates } from '../../storage/producer-states.js';
import { judgeSequence } from './idempotence.js';
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

/** One request's outcome: its reply, or the error it fails with. */
export type ProduceOutcome = { readonly reply: ProduceReply; readonly error?: undefined } | { readonly error: unknown };

class CommitConflict extends Error {
  readonly retriable = true;
}

export async function produce(deps: ProduceDeps, request: ProduceRequest): Promise<ProduceReply> {
  const [outcome] = await produceMany(deps, [request]);
  if (outcome!.error !== undefined) throw outcome!.error;
  return (outcome as { reply: ProduceReply }).reply;
}

/** A request's share of a commit: the whole request, or one part of one too large for a transaction. */
interface Unit {
  readonly request: number;
  readonly entries: readonly PreparedEntry[];
}

/** What a commit decided for one entry. */
interface Verdict {
  readonly entry: PreparedEntry;
  readonly baseOffset: number;
  readonly duplicate: boolean;
}

interface Expectations {
  readonly heads: Map<string, PartitionHead>;
  /** By `stateMapKey`; `fresh` when read (or handed back by a failed condition) during this commit, not guessed from the cache. */
  readonly producers: Map<string, { state: ProducerPartitionState | undefined; fresh: boolean }>;
}

/** Produces many requests as one: one object, as few commits as fit, an outcome per request in order. */
export async function produceMany(deps: ProduceDeps, requests: readonly ProduceRequest[]): Promise<ProduceOutcome[]> {
  const now = deps.now();
  const prepared = await Promise.all(
    requests.map((r) =>
      prepareEntries(r, deps.topics, now).then(
        (entries) => ({ entries }),
        (error: unknown) => ({ error }),
      ),
    ),
  );
  const failed = new Map<number, unknown>();
  const replies = requests.map((r) => new Array<ProducedEntry>(r.entries.length));
  const units: Unit[] = [];
  prepared.forEach((p, request) => {
    if ('error' in p) failed.set(request, p.error);
    else for (const entries of planCommits(p.entries, DYNAMODB_TRANSACTION_ITEMS)) units.push({ request, entries });
  });
  const fail = (unitsFailed: Iterable<Unit>, error: unknown) => {
    for (const u of unitsFailed) if (!failed.has(u.request)) failed.set(u.request, error);
  };
  if (units.length > 0) {
    try {
      await writeAll(deps, packCommits(units, DYNAMODB_TRANSACTION_ITEMS), failed, replies, fail);
    } catch (err) {
      fail(units, err);
    }
  }
  return requests.map((_, i) => (failed.has(i) ? { error: failed.get(i) } : { reply: { entries: replies[i]! } }));
}

async function writeAll(
  deps: ProduceDeps,
  commits: Unit[][],
  failed: ReadonlyMap<number, unknown>,
  replies: ProducedEntry[][],
  fail: (units: Iterable<Unit>, error: unknown) => void,
): Promise<void> {
  const objectKey = deps.ingestKey(deps.now());
  const { bytes, positions } = layout(commits);
  await deps.objects.put(objectKey, bytes);
  await deps.faults.at('produce.afterUpload', { objectKey });
  let queue = commits;
  for (let k = 0; queue.length > 0; k++) {
    const [first, ...rest] = queue;
    const live = first!.filter((u) => !failed.has(u.request));
    if (live.length === 0) {
      queue = rest;
      continue;
    }
    const result = await commitUnits(deps, live, objectKey, positions, k);
    result.failures.forEach((error, unit) => fail([unit], error));
    for (const [unit, verdicts] of result.done) {
      for (const v of verdicts) replies[unit.request]![v.entry.index] = reply(v.entry, v.baseOffset, result.heads.get(keyOf(v.entry))!, v.duplicate);
    }
    queue = result.deferred.length > 0 ? [result.deferred, ...rest] : rest;
  }
  await deps.faults.at('produce.afterCommit', { objectKey });
}

/** What a commit's items are counted by: a check per topic, per partition the head and its run, per producer and partition its state, and the object. */
class ItemCount {
  private readonly topics = new Set<string>();
  private readonly partitions = new Set<string>();
  private readonly producers = new Set<string>();

  /** The items with `unit` added, without adding it. */
  with(unit: Unit): number {
    const topics = new Set<string>();
    const partitions = new Set<string>();
    const producers = new Set<string>();
    for (const e of unit.entries) {
      if (!this.topics.has(e.topic.name)) topics.add(e.topic.name);
      if (!this.partitions.has(keyOf(e))) partitions.add(keyOf(e));
      if (e.idempotent && !this.producers.has(stateKeyOf(e))) producers.add(stateKeyOf(e));
    }
    return this.topics.size + topics.size + 2 * (this.partitions.size + partitions.size) + this.producers.size + producers.size + 1;
  }

  add(unit: Unit): void {
    for (const e of unit.entries) {
      this.topics.add(e.topic.name);
      this.partitions.add(keyOf(e));
      if (e.idempotent) this.producers.add(stateKeyOf(e));
    }
  }
}

/** Units in arrival order, packed into commits of at most `maxItems` items (a unit alone always fits: planCommits made it so). */
export function packCommits(units: readonly Unit[], maxItems: number): Unit[][] {
  const commits: Unit[][] = [];
  let current: Unit[] = [];
  let count = new ItemCount();
  for (const unit of units) {
    if (current.length > 0 && count.with(unit) > maxItems) {
      commits.push(current);
      current = [];
      count = new ItemCount();
    }
    current.push(unit);
    count.add(unit);
  }
  if (current.length > 0) commits.push(current);
  return commits;
}

/** Appends `value` to the list under `key`, in insertion order of the keys. */
function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** The object's bytes: per commit, per partition, the batches in arrival order, so each partition's run lies back to back. */
function layout(commits: readonly (readonly Unit[])[]): { bytes: Buffer; positions: Map<PreparedEntry, number> } {
  const positions = new Map<PreparedEntry, number>();
  const chunks: Buffer[] = [];
  let size = 0;
  for (const commit of commits) {
    const byPartition = new Map<string, PreparedEntry[]>();
    for (const u of commit) for (const e of u.entries) pushTo(byPartition, keyOf(e), e);
    for (const entries of byPartition.values()) {
      for (const e of entries) {
        positions.set(e, size);
        chunks.push(e.batch.bytes);
        size += e.batch.bytes.length;
      }
    }
  }
  return { bytes: Buffer.concat(chunks, size), positions };
}

interface CommitResult {
  readonly done: Map<Unit, Verdict[]>;
  readonly failures: Map<Unit, unknown>;
  /** Units left for a commit of their own (this one would have been too large after a split run). */
  readonly deferred: Unit[];
  readonly heads: ReadonlyMap<string, PartitionHead>;
}

async function commitUnits(deps: ProduceDeps, units: readonly Unit[], objectKey: string, positions: ReadonlyMap<PreparedEntry, number>, commitIndex: number): Promise<CommitResult> {
  const expectations = await loadExpectations(deps, units.flatMap((u) => u.entries));
  const failures = new Map<Unit, unknown>();
  const done = new Map<Unit, Verdict[]>();
  let live = [...units];
  const deferred: Unit[] = [];
  const result = (): CommitResult => ({ done, failures, deferred, heads: expectations.heads });
  try {
    await retry(
      async (attempt) => {
        live = live.filter((u) => !failures.has(u));
        if (live.length === 0) return;
        let judged = await judge(deps, live, expectations, failures);
        let entries = appendEntries(judged, expectations, positions, objectKey);
        // Runs split by a duplicate or a failed request take more items than were packed for: later units wait for the next commit.
        while (itemCount(entries) > DYNAMODB_TRANSACTION_ITEMS && judged.length > 1) {
          deferred.unshift(judged.pop()!.unit);
          live = judged.map((j) => j.unit);
          entries = appendEntries(judged, expectations, positions, objectKey);
        }
        if (entries.length === 0) {
          judged.forEach((j) => done.set(j.unit, j.verdicts));
          return;
        }
        const appendTime = deps.now();
        const outcome = await deps.committer.commit({
          objectKey,
          appendTime,
          token: `${objectKey.slice(-26)}-${commitIndex}-${attempt}`,
          topics: uniqueTopics(judged.flatMap((j) => j.verdicts.map((v) => v.entry))),
          entries,
        });
        if (outcome.committed) {
          judged.forEach((j) => done.set(j.unit, j.verdicts));
          remember(deps, judged, expectations, appendTime);
          judged = [];
          return;
        }
        if (outcome.objectCollected) {
          live.forEach((u) => failures.set(u, objectCollected(objectKey)));
          return;
        }
        for (const topic of outcome.deletedTopics) {
          deps.topics.forget(topic);
          const error = new KafkalessError('UnknownTopicOrPartition', `Topic '${topic}' was deleted while producing to it.`, { context: { topic } });
          live.filter((u) => u.entries.some((e) => e.topic.name === topic)).forEach((u) => failures.set(u, error));
        }
        await refresh(deps, expectations, outcome.staleHeads, outcome.staleProducers);
        throw new CommitConflict('the partition head or producer state moved');
      },
      {
        maxAttempts: MAX_COMMIT_ATTEMPTS,
        initialDelayMs: 4,
        maxDelayMs: 250,
        random: deps.random,
        isRetriable: (err) => err instanceof CommitConflict || ((err as { retriable?: boolean }).retriable === true && !(err instanceof KafkalessError)),
      },
    );
  } catch (err) {
    // Kafka's REQUEST_TIMED_OUT (retriable): the commit did not get through in time; nothing was appended.
    const error =
      err instanceof CommitConflict
        ? new KafkalessError('RequestTimedOut', `The commit did not get through: other writers kept moving the partition heads for ${MAX_COMMIT_ATTEMPTS} attempts, and nothing was appended; retry the request (the producer does so on its own).`, { cause: err })
        : err;
    live.filter((u) => !failures.has(u) && !done.has(u)).forEach((u) => failures.set(u, error));
  }
  return result();
}

interface Judged {
  readonly unit: Unit;
  readonly verdicts: Verdict[];
}

/**
 * Judges the units in order against the expected heads and producer states,
 * each unit seeing what the units before it append. A unit whose batch is
 * refused (fenced, out of order) fails alone and takes nothing; a verdict
 * against state guessed from this instance's cache is never final: another
 * instance may have appended this producer's later batches meanwhile, so the
 * state is read and the judging starts over.
 */
async function judge(deps: ProduceDeps, units: readonly Unit[], expectations: Expectations, failures: Map<Unit, unknown>): Promise<Judged[]> {
  for (;;) {
    const cursor = new Map<string, number>([...expectations.heads].map(([k, h]) => [k, h.highWatermark]));
    const states = new Map<string, ProducerPartitionState | undefined>([...expectations.producers].map(([k, p]) => [k, p.state]));
    const refused = new Map<Unit, unknown>();
    const out: Judged[] = [];
    let reread: PreparedEntry | undefined;
    for (const unit of units) {
      const verdicts: Verdict[] = [];
      for (const e of unit.entries) {
        const base = cursor.get(keyOf(e))!;
        if (!e.idempotent) {
          verdicts.push({ entry: e, baseOffset: base, duplicate: false });
          continue;
        }
        try {
          const verdict = judgeSequence(states.get(stateKeyOf(e)), sequenced(e), contextOf(e));
          verdicts.push(verdict.kind === 'duplicate' ? { entry: e, baseOffset: verdict.baseOffset, duplicate: true } : { entry: e, baseOffset: base, duplicate: false });
        } catch (err) {
          if (!(err instanceof KafkalessError)) throw err;
          if (!expectations.producers.get(stateKeyOf(e))!.fresh) reread = e;
          else refused.set(unit, err);
          break;
        }
      }
      if (reread !== undefined) break;
      if (refused.has(unit)) continue;
      // A request names a partition once, so its entries touch distinct partitions and producer states.
      for (const v of verdicts) {
        if (v.duplicate) continue;
        cursor.set(keyOf(v.entry), v.baseOffset + v.entry.batch.offsetCount);
        if (v.entry.idempotent) states.set(stateKeyOf(v.entry), advanced(states.get(stateKeyOf(v.entry)), v.entry, v.baseOffset, 0));
      }
      out.push({ unit, verdicts });
    }
    if (reread === undefined) {
      refused.forEach((err, unit) => failures.set(unit, err));
      return out;
    }
    const e = reread;
    const read = await deps.producers.getMany([{ producerId: e.batch.header.producerId, topicId: e.topic.topicId, partition: e.partition }]);
    const state = read.get(stateKeyOf(e));
    expectations.producers.set(stateKeyOf(e), { state, fresh: true });
    deps.producerCache.set(stateKeyOf(e), state);
  }
}

/** A producer's state after appending `e` at `baseOffset`. */
function advanced(state: ProducerPartitionState | undefined, e: PreparedEntry, baseOffset: number, appendTime: number): ProducerPartitionState {
  const h = e.batch.header;
  const previous = state !== undefined && state.producerEpoch === h.producerEpoch ? state.batches : [];
  return {
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    lastSequence: e.lastSequence,
    batches: [...previous, { baseSequence: h.baseSequence, lastSequence: e.lastSequence, baseOffset, appendTime }].slice(-REMEMBERED_BATCHES),
  };
}

/** The commit's entries: per partition, runs of appended batches lying back to back in the object, and each producer's advance. */
function appendEntries(judged: readonly Judged[], expectations: Expectations, positions: ReadonlyMap<PreparedEntry, number>, objectKey: string): AppendEntry[] {
  const byPartition = new Map<string, Verdict[]>();
  for (const j of judged) for (const v of j.verdicts) if (!v.duplicate) pushTo(byPartition, keyOf(v.entry), v);
  const entries: AppendEntry[] = [];
  for (const [key, appended] of byPartition) {
    const first = appended[0]!.entry;
    const runs: Verdict[][] = [];
    for (const v of appended) {
      const run = runs[runs.length - 1];
      const last = run?.[run.length - 1];
      if (run !== undefined && last !== undefined && positions.get(last.entry)! + last.entry.batch.bytes.length === positions.get(v.entry)) run.push(v);
      else runs.push([v]);
    }
    const byProducer = new Map<number, Verdict[]>();
    for (const v of appended) if (v.entry.idempotent) pushTo(byProducer, v.entry.batch.header.producerId, v);
    entries.push({
      topicId: first.topic.topicId,
      partition: first.partition,
      expectedHighWatermark: expectations.heads.get(key)!.highWatermark,
      runs: runs.map((run) => indexRun(run, positions, objectKey)),
      producers: [...byProducer.values()].map((vs) => producerAdvance(vs, expectations)),
    });
  }
  return entries;
}

function indexRun(run: readonly Verdict[], positions: ReadonlyMap<PreparedEntry, number>, objectKey: string): IndexRun {
  const first = run[0]!;
  const offsetCount = run.reduce((n, v) => n + v.entry.batch.offsetCount, 0);
  if (run.length === 1) {
    const e = first.entry;
    return { baseOffset: first.baseOffset, offsetCount, batch: { ...batchLocation(e, objectKey, positions.get(e)!), baseSequence: e.batch.header.baseSequence, isTransactional: false } };
  }
  const locations = run.map((v) => batchLocation(v.entry, objectKey, positions.get(v.entry)!));
  return {
    baseOffset: first.baseOffset,
    offsetCount,
    batch: {
      objectKey,
      position: locations[0]!.position,
      sizeBytes: locations.reduce((n, l) => n + l.sizeBytes, 0),
      recordCount: locations.reduce((n, l) => n + l.recordCount, 0),
      firstTimestamp: Math.min(...locations.map((l) => l.firstTimestamp)),
      maxTimestamp: Math.max(...locations.map((l) => l.maxTimestamp)),
      producerId: -1,
      producerEpoch: -1,
      baseSequence: -1,
      isTransactional: false,
      batchCount: run.length,
    },
  };
}

/** One producer's batches in one partition, as its state item advances: only the newest epoch's batches are remembered. */
function producerAdvance(verdicts: readonly Verdict[], expectations: Expectations): ProducerAdvance {
  const last = verdicts[verdicts.length - 1]!.entry;
  const epoch = last.batch.header.producerEpoch;
  return {
    producerId: last.batch.header.producerId,
    producerEpoch: epoch,
    batches: verdicts
      .filter((v) => v.entry.batch.header.producerEpoch === epoch)
      .map((v) => ({ baseSequence: v.entry.batch.header.baseSequence, lastSequence: v.entry.lastSequence, baseOffset: v.baseOffset })),
    expected: expectations.producers.get(stateKeyOf(last))!.state,
  };
}

function itemCount(entries: readonly AppendEntry[]): number {
  const topics = new Set(entries.map((e) => e.topicId));
  return topics.size + entries.reduce((n, e) => n + 1 + e.runs.length + e.producers.length, 0) + 1;
}

function keyOf(e: PreparedEntry): string {
  return partitionKey(e.topic.topicId, e.partition);
}

function stateKeyOf(e: PreparedEntry): string {
  return stateMapKey(e.batch.header.producerId, e.topic.topicId, e.partition);
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
async function loadExpectations(deps: ProduceDeps, entries: readonly PreparedEntry[]): Promise<Expectations> {
  const missingHeads = new Map<string, Set<number>>();
  const missingProducers = new Map<string, { producerId: number; topicId: string; partition: number }>();
  for (const e of entries) {
    if (!deps.headCache.has(keyOf(e))) missingHeads.set(e.topic.topicId, (missingHeads.get(e.topic.topicId) ?? new Set()).add(e.partition));
    if (e.idempotent && !deps.producerCache.has(stateKeyOf(e))) {
      missingProducers.set(stateKeyOf(e), { producerId: e.batch.header.producerId, topicId: e.topic.topicId, partition: e.partition });
    }
  }
  for (const [topicId, partitions] of missingHeads) {
    for (const head of await deps.heads.getMany(topicId, [...partitions])) deps.headCache.set(partitionKey(topicId, head.partition), head);
  }
  if (missingProducers.size > 0) {
    const states = await deps.producers.getMany([...missingProducers.values()]);
    for (const key of missingProducers.keys()) deps.producerCache.set(key, states.get(key));
  }
  const expectations: Expectations = { heads: new Map(), producers: new Map() };
  for (const e of entries) {
    expectations.heads.set(keyOf(e), deps.headCache.get(keyOf(e))!);
    if (e.idempotent) expectations.producers.set(stateKeyOf(e), { state: deps.producerCache.get(stateKeyOf(e)), fresh: missingProducers.has(stateKeyOf(e)) });
  }
  return expectations;
}

async function refresh(
  deps: ProduceDeps,
  expectations: Expectations,
  staleHeads: ReadonlyMap<string, PartitionHead>,
  staleProducers: ReadonlyMap<string, ProducerPartitionState | undefined>,
): Promise<void> {
  for (const [key, stale] of staleHeads) {
    const head = stale.highWatermark < 0 ? await deps.heads.get(stale.topicId, stale.partition) : stale;
    expectations.heads.set(key, head);
    deps.headCache.set(key, head);
  }
  for (const [key, state] of staleProducers) {
    expectations.producers.set(key, { state, fresh: true });
    deps.producerCache.set(key, state);
  }
}

function remember(deps: ProduceDeps, judged: readonly Judged[], expectations: Expectations, appendTime: number): void {
  for (const j of judged) {
    for (const v of j.verdicts) {
      if (v.duplicate) continue;
      const key = keyOf(v.entry);
      const head = expectations.heads.get(key)!;
      const next = { ...head, highWatermark: v.baseOffset + v.entry.batch.offsetCount, lastAppendTime: appendTime, bytes: head.bytes + v.entry.batch.bytes.length, exists: true };
      expectations.heads.set(key, next);
      deps.headCache.set(key, next);
      if (!v.entry.idempotent) continue;
      const state = advanced(expectations.producers.get(stateKeyOf(v.entry))!.state, v.entry, v.baseOffset, appendTime);
      expectations.producers.set(stateKeyOf(v.entry), { state, fresh: true });
      deps.producerCache.set(stateKeyOf(v.entry), state);
    }
  }
}
