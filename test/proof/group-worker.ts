/**
 * A consumer group member in a workload, speaking the group function's
 * protocol directly (KIP-848 heartbeats): it joins, heartbeats with the
 * partitions it owns, commits offsets for them with its member epoch
 * (after learning a newly handed partition's committed offset, as a
 * consumer does; now and then an explicit commit after a seek back),
 * fetches the group's offsets, and now and then leaves and rejoins. Every
 * reply is recorded: what it was handed (assignment events), what the group
 * holds as committed (commit and offsets events).
 */
import { call, type Transport } from '../../lib/client/transport.js';
import type { CommitOffsetsReply, FetchOffsetsReply, HeartbeatReply } from '../../lib/protocol/group-replies.js';
import { describe } from './producer-worker.js';
import { withDeadline } from './watchdog.js';
import type { WorkerBase } from './worker.js';

export interface GroupWorkerOptions extends WorkerBase {
  readonly name: string;
  readonly transport: Transport;
  readonly group: string;
  readonly topic: string;
  /** Group operations take at most this share of the tickets handed out so far (all members together). */
  readonly share: number;
  readonly ops: { count: number };
  readonly sessionTimeoutMs: number;
}

const FENCED = new Set(['FencedMemberEpoch', 'UnknownMemberId', 'StaleMemberEpoch', 'IllegalGeneration']);
const LEAVE_CHANCE = 0.03;
/** Of the commits, those made after a seek back (explicit, below the committed offset). */
const SEEK_CHANCE = 0.1;

interface Member {
  memberId: string;
  memberEpoch: number;
  owned: number[];
  joined: boolean;
  /**
   * Per owned partition, the offset it has consumed to, as a consumer's
   * position: the committed offset it read when handed the partition, then
   * every offset it asked to commit (answered or not, so a commit whose
   * reply was lost is never undercut by a later one that is not a seek).
   */
  readonly position: Map<number, number>;
  /** Partitions handed to it whose committed offset it has not read since: it reads them before committing. */
  readonly unread: Set<number>;
  /**
   * Partitions it sought back on and has had no commit acknowledged since:
   * its commits there follow the seek (they may lie below the committed
   * offset, as a consumer's commits after a seek do) until one is answered.
   */
  readonly sought: Set<number>;
}

export async function runGroupMember(o: GroupWorkerOptions): Promise<void> {
  const m: Member = { memberId: '', memberEpoch: 0, owned: [], joined: false, position: new Map(), unread: new Set(), sought: new Set() };
  try {
    while (await o.budget.takeWithin(o.ops, o.share)) {
      try {
        await withDeadline(step(o, m), o.stallMs, () => `${o.name}'s group call (member ${m.memberId || 'joining'})`, o.onStall);
      } catch {
        // A failed call tells nothing about the group's state; the member tries again.
      }
      o.budget.complete();
    }
    if (m.joined) await heartbeat(o, m, -1).catch(() => undefined);
  } catch {
    // Leaving is best effort: the session expires otherwise.
  }
}

async function step(o: GroupWorkerOptions, m: Member): Promise<void> {
  if (!m.joined) return heartbeat(o, m, 0);
  const roll = o.random();
  if (roll < LEAVE_CHANCE) return heartbeat(o, m, -1);
  if (roll < 0.55) return heartbeat(o, m, m.memberEpoch);
  if (roll < 0.9) return commit(o, m);
  return fetchOffsets(o, m);
}

async function heartbeat(o: GroupWorkerOptions, m: Member, memberEpoch: number): Promise<void> {
  const joining = memberEpoch === 0;
  const request = {
    action: 'heartbeat',
    groupId: o.group,
    memberId: joining ? '' : m.memberId,
    memberEpoch,
    ...(joining ? { subscribedTopics: [o.topic], sessionTimeoutMs: o.sessionTimeoutMs } : {}),
    ownedPartitions: (joining ? [] : m.owned).map((partition) => ({ topic: o.topic, partition })),
  };
  const invokedMs = o.history.nowMs();
  if (memberEpoch < 0) {
    // A member that leaves stops consuming now, whether or not the reply arrives (a lost reply may hide a leave that took effect).
    record(o, m, { partitions: [], invokedMs, completedMs: invokedMs, groupEpoch: -1, memberEpoch: -1 });
    Object.assign(m, { memberId: '', memberEpoch: 0, owned: [], joined: false });
    await call<HeartbeatReply>(o.transport, 'group', request);
    return;
  }
  let reply: HeartbeatReply;
  try {
    reply = await call<HeartbeatReply>(o.transport, 'group', request);
  } catch (err) {
    if (FENCED.has(describe(err))) {
      // The group no longer counts this member: what it held is gone.
      record(o, m, { partitions: [], invokedMs, completedMs: o.history.nowMs(), groupEpoch: -1, memberEpoch: -1 });
      Object.assign(m, { memberId: '', memberEpoch: 0, owned: [], joined: false });
    }
    throw err;
  }
  const completedMs = o.history.nowMs();
  const partitions = reply.assignment.filter((tp) => tp.topic === o.topic).map((tp) => tp.partition);
  record(o, m, { partitions, invokedMs, completedMs, groupEpoch: reply.groupEpoch, memberEpoch: reply.memberEpoch, memberId: reply.memberId });
  for (const p of partitions) if (!m.owned.includes(p)) m.unread.add(p);
  Object.assign(m, { memberId: reply.memberId, memberEpoch: reply.memberEpoch, owned: partitions, joined: true });
}

interface Seen {
  readonly partitions: readonly number[];
  readonly invokedMs: number;
  readonly completedMs: number;
  readonly groupEpoch: number;
  readonly memberEpoch: number;
  readonly memberId?: string;
}

function record(o: GroupWorkerOptions, m: Member, seen: Seen): void {
  const member = seen.memberId ?? m.memberId;
  if (member === '') return;
  o.history.add({
    kind: 'assignment',
    group: o.group,
    member,
    memberEpoch: seen.memberEpoch,
    groupEpoch: seen.groupEpoch,
    partitions: seen.partitions,
    invokedMs: seen.invokedMs,
    completedMs: seen.completedMs,
    sessionTimeoutMs: o.sessionTimeoutMs,
  });
}

async function commit(o: GroupWorkerOptions, m: Member): Promise<void> {
  if (m.owned.length === 0) return heartbeat(o, m, m.memberEpoch);
  const partition = m.owned[Math.floor(o.random() * m.owned.length)]!;
  if (m.unread.has(partition)) return fetchOffsets(o, m);
  const position = m.position.get(partition) ?? 0;
  const seek = position > 0 && o.random() < SEEK_CHANCE;
  const offset = seek ? Math.floor(o.random() * position) : position + 1 + Math.floor(o.random() * 5);
  m.position.set(partition, offset);
  if (seek) m.sought.add(partition);
  const explicit = m.sought.has(partition);
  const base = { kind: 'commit' as const, group: o.group, member: m.memberId, memberEpoch: m.memberEpoch, partition, offset, ...(explicit ? { explicit } : {}) };
  const invokedMs = o.history.nowMs();
  try {
    const reply = await call<CommitOffsetsReply>(o.transport, 'group', {
      action: 'commitOffsets',
      groupId: o.group,
      memberId: m.memberId,
      memberEpoch: m.memberEpoch,
      offsets: [{ topic: o.topic, partition, offset }],
    });
    const committed = reply.offsets[0]!.offset;
    m.sought.delete(partition);
    o.history.add({ ...base, invokedMs, completedMs: o.history.nowMs(), outcome: { status: 'ok', committed } });
  } catch (err) {
    const code = describe(err);
    o.history.add({ ...base, invokedMs, completedMs: o.history.nowMs(), outcome: { status: FENCED.has(code) ? 'rejected' : 'unknown', error: code } });
    throw err;
  }
}

async function fetchOffsets(o: GroupWorkerOptions, m: Member): Promise<void> {
  const invokedMs = o.history.nowMs();
  const reply = await call<FetchOffsetsReply>(o.transport, 'group', { action: 'fetchOffsets', groupId: o.group, topics: [o.topic] });
  const completedMs = o.history.nowMs();
  const unread = [...m.unread];
  m.unread.clear();
  for (const p of unread) {
    m.position.delete(p);
    m.sought.delete(p);
  }
  for (const c of reply.offsets) {
    if (c.topic !== o.topic) continue;
    if (unread.includes(c.partition)) m.position.set(c.partition, c.offset);
    o.history.add({ kind: 'offsets', group: o.group, partition: c.partition, offset: c.offset, invokedMs, completedMs });
  }
}
