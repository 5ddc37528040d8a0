/**
 * Waits for a group to settle after a membership change, and says when it
 * did, two ways: when the coordinator first described the group as STABLE
 * with the expected number of members (asked every `describeEveryMs`), and
 * when the live members' clients first held every partition exactly once,
 * balanced (the cooperative-sticky target: sizes differ by at most one).
 */
import type { GroupDescription } from '../lib/protocol/group-replies.js';
import type { BenchMember } from './groups-member.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface StableTimes {
  /** ms from the change to the coordinator's STABLE; NaN when not reached in time. */
  readonly coordinatorMs: number;
  /** ms from the change to the clients holding the target; NaN when not reached in time. */
  readonly clientsMs: number;
}

export interface StableOptions {
  readonly members: readonly BenchMember[];
  readonly partitions: number;
  readonly expectedMembers: number;
  readonly describe: () => Promise<GroupDescription | undefined>;
  readonly sinceMs: number;
  readonly timeoutMs: number;
  readonly checkEveryMs?: number;
  readonly describeEveryMs?: number;
}

/** Every partition held by exactly one live member, and the live members' shares differ by at most one. */
export function clientsHoldTarget(members: readonly BenchMember[], partitions: number, expectedMembers: number): boolean {
  const live = members.filter((m) => m.state === 'live');
  if (live.length !== expectedMembers) return false;
  const owners = new Array<number>(partitions).fill(0);
  const sizes: number[] = [];
  for (const m of live) {
    const held = m.held();
    sizes.push(held.length);
    for (const p of held) owners[p] = (owners[p] ?? 0) + 1;
  }
  return owners.every((n) => n === 1) && Math.max(...sizes) - Math.min(...sizes) <= 1;
}

function coordinatorStable(group: GroupDescription | undefined, expectedMembers: number): boolean {
  return group !== undefined && group.state === 'STABLE' && group.members.length === expectedMembers;
}

export async function waitStable(options: StableOptions): Promise<StableTimes> {
  const deadlineMs = options.sinceMs + options.timeoutMs;
  let clientsAtMs: number | undefined;
  let coordinatorAtMs: number | undefined;
  const watchClients = (async () => {
    while (clientsAtMs === undefined && Date.now() < deadlineMs) {
      if (clientsHoldTarget(options.members, options.partitions, options.expectedMembers)) clientsAtMs = Date.now();
      else await sleep(options.checkEveryMs ?? 10);
    }
  })();
  const watchCoordinator = (async () => {
    while (coordinatorAtMs === undefined && Date.now() < deadlineMs) {
      const group = await options.describe().catch(() => undefined);
      if (coordinatorStable(group, options.expectedMembers)) coordinatorAtMs = Date.now();
      else await sleep(options.describeEveryMs ?? 100);
    }
  })();
  await Promise.all([watchClients, watchCoordinator]);
  return {
    coordinatorMs: coordinatorAtMs === undefined ? Number.NaN : coordinatorAtMs - options.sinceMs,
    clientsMs: clientsAtMs === undefined ? Number.NaN : clientsAtMs - options.sinceMs,
  };
}
