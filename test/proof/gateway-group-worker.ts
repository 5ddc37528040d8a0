/**
 * A consumer group member of the gateway proof: a kafkajs consumer (the
 * classic protocol: JoinGroup, SyncGroup, Heartbeat, OffsetCommit through a
 * gateway) subscribed to the topic, committing by hand. What it sees feeds
 * the history:
 * - each batch it is handed is a read (records from the offset the member
 *   had reached; no high watermark: kafkajs fetches ahead of the batches it
 *   hands over, so when the fetch was sent is not known);
 * - each join is an assignment event: the partitions SyncGroup gave it, at
 *   the generation it got (read from kafkajs's own debug log), from the time
 *   the join began (kafkajs revokes everything first: the eager protocol)
 *   to the time it was handed them; a rebalance, a crash or a leave is an
 *   assignment of nothing at the time it began;
 * - commits of the offset after a batch (answered: the group's offset is
 *   that one; refused for a stale generation: rejected; else unknown), and
 *   now and then the group's offsets fetched with kafkajs's admin.
 * Now and then the member leaves (disconnects) and a new one joins.
 */
import { logLevel, type Admin, type Consumer, type EachBatchPayload, type LogEntry } from 'kafkajs';
import { clientError, KAFKAJS_RETRY, kafkajsClient, sleep } from './gateway-clients.js';
import type { ReadRecord } from './history.js';
import type { WorkerBase } from './worker.js';

export interface GatewayMemberOptions extends WorkerBase {
  readonly name: string;
  /** Rotates the gateways this member is told. */
  readonly k: number;
  readonly brokers: readonly string[];
  readonly group: string;
  readonly topic: string;
  readonly readShare: number;
  readonly reads: { count: number };
  readonly groupShare: number;
  readonly groupOps: { count: number };
  readonly sessionTimeoutMs: number;
}

const FENCED = new Set(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS', 'FENCED_INSTANCE_ID']);
const LEAVE_CHANCE = 0.01;
const OFFSETS_FETCH_CHANCE = 0.2;
const HEARTBEAT_WHILE_WAITING_MS = 500;
const PARTITION_BYTES = 4096;

interface Session {
  memberId: string;
  generation: number;
  /** Per partition, the offset after the last record handed over this generation. */
  readonly next: Map<number, number>;
  leave: () => void;
}

export async function runGatewayMember(o: GatewayMemberOptions): Promise<void> {
  for (let n = 0; !o.budget.exhausted; n++) await session(o, n);
}

async function session(o: GatewayMemberOptions, n: number): Promise<void> {
  const s: Session = { memberId: '', generation: -1, next: new Map(), leave: () => undefined };
  const ended = new Promise<void>((resolve) => (s.leave = resolve));
  const logCreator = () => (entry: LogEntry) => {
    const log = entry.log as { message?: string; generationId?: number };
    if (log.message === 'Received assignment' && typeof log.generationId === 'number') s.generation = log.generationId;
  };
  const kafka = kafkajsClient(`${o.name}-${n}`, o.brokers, o.k + n, { logLevel: logLevel.DEBUG, logCreator });
  const consumer = kafka.consumer({
    groupId: o.group,
    sessionTimeout: o.sessionTimeoutMs,
    rebalanceTimeout: 2 * o.sessionTimeoutMs,
    heartbeatInterval: 1_000,
    maxBytesPerPartition: PARTITION_BYTES,
    maxWaitTimeInMs: 200,
    retry: { ...KAFKAJS_RETRY, restartOnFailure: async () => false },
  });
  const admin = kafka.admin();
  const release = () => {
    if (s.memberId === '') return;
    const now = o.history.nowMs();
    o.history.add({ kind: 'assignment', group: o.group, member: s.memberId, memberEpoch: -1, groupEpoch: -1, partitions: [], invokedMs: now, completedMs: now, sessionTimeoutMs: o.sessionTimeoutMs });
  };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    const completedMs = o.history.nowMs();
    s.memberId = e.payload.memberId;
    s.next.clear();
    const partitions = e.payload.memberAssignment[o.topic] ?? [];
    o.history.add({
      kind: 'assignment',
      group: o.group,
      member: s.memberId,
      memberEpoch: s.generation,
      groupEpoch: s.generation,
      partitions,
      invokedMs: completedMs - e.payload.duration,
      completedMs,
      sessionTimeoutMs: o.sessionTimeoutMs,
    });
  });
  consumer.on(consumer.events.REBALANCING, () => release());
  consumer.on(consumer.events.CRASH, () => {
    release();
    s.leave();
  });
  try {
    await consumer.connect();
    await admin.connect();
    await consumer.subscribe({ topic: o.topic, fromBeginning: true });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: true, eachBatch: (payload) => onBatch(o, s, consumer, admin, payload) });
  } catch {
    await sleep(200);
    s.leave();
  }
  const done = setInterval(() => o.budget.exhausted && s.leave(), 100);
  await ended;
  clearInterval(done);
  release();
  await consumer.disconnect().catch(() => undefined);
  await admin.disconnect().catch(() => undefined);
}

/** Takes a read ticket, heartbeating while the reads' share holds it back (so the session does not lapse meanwhile). */
async function takeRead(o: GatewayMemberOptions, heartbeat: () => Promise<void>): Promise<boolean> {
  const taking = o.budget.takeWithin(o.reads, o.readShare);
  for (;;) {
    const r = await Promise.race([taking, sleep(HEARTBEAT_WHILE_WAITING_MS).then(() => 'beat' as const)]);
    if (r !== 'beat') return r;
    try {
      await heartbeat();
    } catch (err) {
      if (await taking) o.budget.complete();
      throw err;
    }
  }
}

async function onBatch(o: GatewayMemberOptions, s: Session, consumer: Consumer, admin: Admin, { batch, heartbeat, isStale, isRunning }: EachBatchPayload): Promise<void> {
  if (batch.messages.length === 0) return;
  if (!(await takeRead(o, heartbeat))) return s.leave();
  const now = o.history.nowMs();
  const records: ReadRecord[] = batch.messages.map((m) => ({ offset: Number(m.offset), value: m.value === null ? null : m.value.toString() }));
  const first = records[0]!.offset;
  const expected = s.next.get(batch.partition);
  // Within a generation the member reads on from where it was: a batch further on is a gap; one further back, a new start.
  const fromOffset = expected !== undefined && first >= expected ? expected : first;
  o.history.add({ kind: 'read', reader: `${o.name} (${s.memberId})`, partition: batch.partition, fromOffset, invokedMs: now, completedMs: now, records });
  const end = records[records.length - 1]!.offset + 1;
  s.next.set(batch.partition, end);
  o.budget.complete();
  if (o.random() < LEAVE_CHANCE) return s.leave();
  if (isStale() || !isRunning() || !o.budget.tryTakeWithin(o.groupOps, o.groupShare)) return;
  try {
    if (o.random() < OFFSETS_FETCH_CHANCE) await fetchOffsets(o, admin);
    else await commit(o, s, consumer, batch.partition, end);
  } catch {
    // Recorded; the member goes on.
  }
  o.budget.complete();
}

async function commit(o: GatewayMemberOptions, s: Session, consumer: Consumer, partition: number, offset: number): Promise<void> {
  const base = { kind: 'commit' as const, group: o.group, member: s.memberId, memberEpoch: s.generation, partition, offset };
  const invokedMs = o.history.nowMs();
  try {
    await consumer.commitOffsets([{ topic: o.topic, partition, offset: String(offset) }]);
    o.history.add({ ...base, invokedMs, completedMs: o.history.nowMs(), outcome: { status: 'ok', committed: offset } });
  } catch (err) {
    const code = clientError(err);
    o.history.add({ ...base, invokedMs, completedMs: o.history.nowMs(), outcome: { status: FENCED.has(code) ? 'rejected' : 'unknown', error: code } });
  }
}

async function fetchOffsets(o: GatewayMemberOptions, admin: Admin): Promise<void> {
  const invokedMs = o.history.nowMs();
  const topics = await admin.fetchOffsets({ groupId: o.group, topics: [o.topic] });
  const completedMs = o.history.nowMs();
  for (const p of topics.find((t) => t.topic === o.topic)?.partitions ?? []) {
    const offset = Number(p.offset);
    o.history.add({ kind: 'offsets', group: o.group, partition: p.partition, offset: offset < 0 ? null : offset, invokedMs, completedMs });
  }
}
