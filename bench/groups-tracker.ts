/**
 * Who consumed what, when: every record a member processes is noted with the
 * time, per partition. Over a window (a rebalance, or steady state) it says
 * how long each partition that changed hands went unconsumed (the last
 * record its old owner processed to the first its new owner did), the
 * longest gap of the partitions that stayed put, and how many records were
 * processed a second time.
 */

interface Seen {
  readonly member: number;
  readonly atMs: number;
}

interface WindowEvent {
  readonly partition: number;
  readonly member: number;
  readonly atMs: number;
  readonly redelivered: boolean;
}

export interface Handoff {
  readonly partition: number;
  readonly from: number;
  readonly to: number;
  readonly pauseMs: number;
}

export interface WindowReport {
  readonly handoffs: readonly Handoff[];
  /** Longest time any partition that kept its owner went without a record (from the window start to its end). */
  readonly keptMaxGapMs: number;
  /** Median over kept partitions of their longest gap. */
  readonly keptMedianGapMs: number;
  readonly keptPartitions: number;
  /** Records processed whose offset had been processed before. */
  readonly redelivered: number;
  readonly records: number;
}

export class ConsumptionTracker {
  private readonly last = new Map<number, Seen>();
  private readonly maxOffset = new Map<number, number>();
  private window: { startMs: number; before: Map<number, Seen>; events: WindowEvent[] } | undefined;
  records = 0;

  constructor(private readonly partitions: number) {}

  note(member: number, partition: number, offset: number, atMs = Date.now()): void {
    this.records++;
    const redelivered = offset <= (this.maxOffset.get(partition) ?? -1);
    if (!redelivered) this.maxOffset.set(partition, offset);
    this.last.set(partition, { member, atMs });
    this.window?.events.push({ partition, member, atMs, redelivered });
  }

  /** True when every partition's latest record was processed by its holder now (`holders`: partition → member). */
  caughtUp(holders: ReadonlyMap<number, number>): boolean {
    for (const [partition, member] of holders) if (this.last.get(partition)?.member !== member) return false;
    return true;
  }

  startWindow(startMs = Date.now()): void {
    this.window = { startMs, before: new Map(this.last), events: [] };
  }

  /** Ends the window and reports on it. */
  endWindow(endMs = Date.now()): WindowReport {
    const window = this.window;
    if (window === undefined) throw new Error('No window was started');
    this.window = undefined;
    const handoffs: Handoff[] = [];
    const keptGaps: number[] = [];
    for (let p = 0; p < this.partitions; p++) {
      const events = window.events.filter((e) => e.partition === p);
      const prior = window.before.get(p);
      let previous: Seen = prior ?? { member: events[0]?.member ?? -1, atMs: window.startMs };
      let moved = false;
      let maxGapMs = 0;
      for (const e of events) {
        if (e.member !== previous.member) {
          handoffs.push({ partition: p, from: previous.member, to: e.member, pauseMs: e.atMs - previous.atMs });
          moved = true;
        } else maxGapMs = Math.max(maxGapMs, e.atMs - Math.max(previous.atMs, window.startMs));
        previous = e;
      }
      if (!moved) keptGaps.push(Math.max(maxGapMs, endMs - Math.max(previous.atMs, window.startMs)));
    }
    keptGaps.sort((a, b) => a - b);
    return {
      handoffs,
      keptMaxGapMs: keptGaps.at(-1) ?? 0,
      keptMedianGapMs: keptGaps[Math.floor(keptGaps.length / 2)] ?? 0,
      keptPartitions: keptGaps.length,
      redelivered: window.events.filter((e) => e.redelivered).length,
      records: window.events.length,
    };
  }
}

/** The value at this fraction of a sorted list (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}
