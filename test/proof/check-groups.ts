/**
 * Consumer group checks (invariants 6 and 7), over commit, offsets and
 * assignment events: a group's committed offset never goes backward
 * except by an explicit reset (an admin reset, or a member's commit after
 * a seek back, marked explicit), and a partition has one owner at a time.
 */
import type { Anomaly } from './anomaly.js';
import type { AssignmentEvent, CommitEvent, HistoryEvent, OffsetsEvent } from './history.js';

interface Observation {
  readonly invokedMs: number;
  readonly completedMs: number;
  readonly offset: number;
  readonly reset: boolean;
  /** An explicit commit whose reply was lost: it may or may not have taken effect. */
  readonly uncertain?: boolean;
  readonly what: string;
}

function observations(history: readonly HistoryEvent[]): Map<string, Observation[]> {
  const out = new Map<string, Observation[]>();
  const add = (key: string, o: Observation) => out.set(key, [...(out.get(key) ?? []), o]);
  for (const e of history) {
    if (e.kind === 'commit' && e.explicit === true && e.outcome.status === 'unknown') {
      // An explicit commit whose reply was lost may have moved the offset back: it counts as a reset.
      add(`${e.group}\u0000${e.partition}`, { invokedMs: e.invokedMs, completedMs: e.completedMs, offset: e.offset, reset: true, uncertain: true, what: `${e.member}'s commit after a seek (unanswered)` });
    }
    if (e.kind === 'commit' && e.outcome.status === 'ok') {
      const c = e as CommitEvent & { outcome: { status: 'ok'; committed: number } };
      const explicit = c.explicit === true;
      const what = explicit ? `${c.member}'s commit after a seek` : `${c.member}'s commit`;
      add(`${c.group}\u0000${c.partition}`, { invokedMs: c.invokedMs, completedMs: c.completedMs, offset: c.outcome.committed, reset: explicit, what });
    }
    if (e.kind === 'offsets' && e.offset !== null) {
      const o = e as OffsetsEvent & { offset: number };
      add(`${o.group}\u0000${o.partition}`, { invokedMs: o.invokedMs, completedMs: o.completedMs, offset: o.offset, reset: o.reset === true, what: o.reset === true ? 'a reset' : 'an offsets fetch' });
    }
  }
  return out;
}

/**
 * An observation that completed before another was invoked must not show a
 * higher offset, unless a reset or an explicit commit lies between. After a
 * reset the floor is its offset; after an unanswered explicit commit, which
 * may not have taken effect, it is the lower of its offset and the floor
 * before it.
 */
export function checkCommitsMonotonic(history: readonly HistoryEvent[]): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const [key, list] of observations(history)) {
    const partition = Number(key.split('\u0000')[1]);
    const resets = list.filter((o) => o.reset);
    const byInvocation = [...list].sort((a, b) => a.invokedMs - b.invokedMs);
    const byCompletion = [...list].sort((a, b) => a.completedMs - b.completedMs);
    let j = 0;
    let best: Observation | undefined;
    for (const o of byInvocation) {
      while (j < byCompletion.length && byCompletion[j]!.completedMs < o.invokedMs) {
        const c = byCompletion[j++]!;
        if (c.uncertain === true) {
          if (best !== undefined && c.offset < best.offset) best = c;
        } else if (best === undefined || c.offset > best.offset || c.reset) best = c;
      }
      if (best === undefined || o.reset || o.offset >= best.offset) continue;
      const b = best;
      if (resets.some((r) => r !== b && r.completedMs > b.invokedMs && r.invokedMs < o.completedMs)) continue;
      anomalies.push({ kind: 'commit-regressed', partition, offset: o.offset, message: `${o.what} saw ${o.offset} after ${b.what} had seen ${b.offset}` });
    }
  }
  return anomalies;
}

/**
 * One owner: at one group epoch no two members are handed the same
 * partition, and no member is handed a partition while another certainly
 * still owns it (granted, not yet released, session not yet expired).
 */
export function checkOneOwner(history: readonly HistoryEvent[]): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const assignments = history.filter((e): e is AssignmentEvent => e.kind === 'assignment');
  const atEpoch = new Map<string, string>();
  for (const a of assignments) {
    for (const p of a.partitions) {
      const key = `${a.group}\u0000${a.groupEpoch}\u0000${p}`;
      const owner = atEpoch.get(key);
      if (owner !== undefined && owner !== a.member) {
        anomalies.push({ kind: 'two-owners', partition: p, message: `group ${a.group} epoch ${a.groupEpoch} handed partition ${p} to ${owner} and to ${a.member}` });
      }
      atEpoch.set(key, a.member);
    }
  }
  anomalies.push(...checkOwnershipIntervals(assignments));
  return anomalies;
}

interface Holding {
  readonly member: string;
  readonly fromMs: number;
  readonly untilMs: number;
}

/** Intervals in which a member surely held a partition: from a reply granting it to the next heartbeat not holding it (or expiry). */
function holdings(assignments: readonly AssignmentEvent[]): Map<string, Holding[]> {
  const out = new Map<string, Holding[]>();
  const byMember = new Map<string, AssignmentEvent[]>();
  for (const a of assignments) byMember.set(`${a.group}\u0000${a.member}`, [...(byMember.get(`${a.group}\u0000${a.member}`) ?? []), a]);
  for (const list of byMember.values()) {
    list.sort((a, b) => a.invokedMs - b.invokedMs);
    const open = new Map<number, number>();
    const close = (p: number, untilMs: number, a: AssignmentEvent) => {
      const from = open.get(p)!;
      open.delete(p);
      const key = `${a.group}\u0000${p}`;
      if (untilMs > from) out.set(key, [...(out.get(key) ?? []), { member: a.member, fromMs: from, untilMs }]);
    };
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      for (const p of [...open.keys()]) if (!a.partitions.includes(p)) close(p, a.invokedMs, a);
      for (const p of a.partitions) if (!open.has(p)) open.set(p, a.completedMs);
      const next = list[i + 1];
      const expiry = a.invokedMs + a.sessionTimeoutMs;
      if (next === undefined || next.invokedMs > expiry) for (const p of [...open.keys()]) close(p, Math.min(expiry, next?.invokedMs ?? expiry), a);
    }
  }
  return out;
}

function checkOwnershipIntervals(assignments: readonly AssignmentEvent[]): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const [key, list] of holdings(assignments)) {
    const partition = Number(key.split('\u0000')[1]);
    list.sort((a, b) => a.fromMs - b.fromMs);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const next = list[i]!;
      if (prev.member !== next.member && next.fromMs < prev.untilMs) {
        anomalies.push({
          kind: 'two-owners',
          partition,
          message: `${next.member} was handed partition ${partition} at ${next.fromMs.toFixed(0)} ms while ${prev.member} held it [${prev.fromMs.toFixed(0)}, ${prev.untilMs.toFixed(0)}) ms`,
        });
      }
    }
  }
  return anomalies;
}
