/**
 * The optimistic loop every group change runs in: load the group, compute
 * the step (pure), write it conditionally on the version read; when another
 * step won the race, load again and recompute (lib/retry.ts).
 */
import { KafkalessError } from '../../errors.js';
import { retry } from '../../retry.js';
import { sessionExpiresAtMs, type GroupMember, type GroupState, type OffsetRecord, type TopicPartitionRef } from '../../storage/group-records.js';
import { GroupConflict, type GroupWrite } from '../../storage/group-store.js';
import type { GroupDeps } from './deps.js';
import type { StepEnv, StepOutcome } from './heartbeat-step.js';

export type GroupStepResult<T> = StepOutcome<T> & {
  readonly offsets?: readonly OffsetRecord[];
  readonly deleteOffsets?: readonly TopicPartitionRef[];
};

export type GroupStep<T> = (loaded: GroupState | undefined, env: StepEnv) => GroupStepResult<T> | Promise<GroupStepResult<T>>;

const MAX_ATTEMPTS = 12;
/** Sweeps of one group are at least this far apart. */
export const MIN_SWEEP_GAP_MS = 100;

export async function runGroupStep<T>(deps: GroupDeps, groupId: string, step: GroupStep<T>, expectedTopics: readonly string[] = []): Promise<T> {
  try {
    return await retry(
      async () => {
        const loaded = await deps.store.load(groupId);
        const env: StepEnv = { nowMs: deps.now(), topics: await deps.topics.view(expectedTopics), newMemberId: () => randomUuid(deps.random) };
        const outcome = await step(loaded, env);
        if (outcome.write) {
          await deps.faults.at('group.beforeWrite', { groupId });
          await deps.store.save(toWrite(groupId, loaded, outcome, env.nowMs));
        }
        if (outcome.error !== undefined) throw outcome.error;
        return outcome.reply as T;
      },
      { maxAttempts: MAX_ATTEMPTS, initialDelayMs: 10, maxDelayMs: 400, random: deps.random, isRetriable: (err) => err instanceof GroupConflict },
    );
  } catch (err) {
    if (err instanceof GroupConflict) {
      throw new KafkalessError('CoordinatorLoadInProgress', `Group '${groupId}' is changing too often right now; retry`, { context: { groupId }, cause: err });
    }
    throw err;
  }
}

function toWrite(groupId: string, loaded: GroupState | undefined, outcome: GroupStepResult<unknown>, nowMs: number): GroupWrite {
  const before = new Map((loaded?.members ?? []).map((m) => [m.memberId, m]));
  const after = new Set(outcome.state.members.map((m) => m.memberId));
  const expectedVersion = loaded?.meta.version;
  const targetBefore = loaded?.meta.targetAssignment ?? {};
  const targetAfter = outcome.state.meta.targetAssignment;
  const changed = (m: GroupMember): boolean => !sameMember(before.get(m.memberId), m) || !sameTarget(targetBefore[m.memberId], targetAfter[m.memberId]);
  const sweepAtMs = nextSweepAtMs(outcome.state.members, nowMs);
  const { sweepAtMs: _old, ...meta } = outcome.state.meta;
  return {
    groupId,
    expectedVersion,
    meta: { ...meta, version: (expectedVersion ?? 0) + 1, ...(sweepAtMs !== undefined ? { sweepAtMs } : {}) },
    putMembers: outcome.state.members.filter(changed).map((m) => ({ member: m, before: before.get(m.memberId) })),
    deleteMembers: [...before.values()].filter((m) => !after.has(m.memberId)),
    stored: loaded?.stored,
    ...(outcome.offsets !== undefined ? { offsets: outcome.offsets } : {}),
    ...(outcome.deleteOffsets !== undefined ? { deleteOffsets: outcome.deleteOffsets } : {}),
  };
}

function sameMember(a: GroupMember | undefined, b: GroupMember): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

function sameTarget(a: readonly TopicPartitionRef[] | undefined, b: readonly TopicPartitionRef[] | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * When the group's next expiry sweep is due: the earliest session end among
 * its members as this step wrote them (heartbeats since will have pushed
 * most of them later, so a sweep often finds nobody to expire and just sets
 * the next one), but not sooner than MIN_SWEEP_GAP_MS from now. Undefined
 * for a group with no members: nothing to sweep.
 */
export function nextSweepAtMs(members: readonly GroupMember[], nowMs: number): number | undefined {
  if (members.length === 0) return undefined;
  const earliest = Math.min(...members.map(sessionExpiresAtMs));
  return Math.max(earliest, nowMs + MIN_SWEEP_GAP_MS);
}

/** A version-4 UUID from the injected randomness, so runs replay. */
export function randomUuid(random: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
