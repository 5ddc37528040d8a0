/**
 * Consumer groups' lag over time, sampled by the console's server while it
 * runs: every group every `intervalMs` (describeGroups, as the groups view
 * asks), and each time a group's view asks for it. Kept in memory for
 * `keepMs`, so a reload or a second browser sees the same history; lost when
 * the console stops (nothing records lag while no console runs).
 */
import type { Admin } from '../client/admin.js';
import type { ConsumerGroupDescription } from '../client/admin-groups.js';

export interface LagSample {
  /** Epoch ms. */
  readonly t: number;
  readonly total: number;
  /** `topic/partition` → lag. */
  readonly partitions: Readonly<Record<string, number>>;
}

export interface LagHistoryOptions {
  /** @default 10 s */
  readonly intervalMs?: number;
  /** @default 1 hour */
  readonly keepMs?: number;
}

/** Samples closer together than this are one (the view's refresh and the timer meeting). */
const MIN_SPACING_MS = 1000;
/** Groups described per call. */
const GROUPS_PER_CALL = 50;

export function lagSample(group: ConsumerGroupDescription, t: number): LagSample {
  const partitions: Record<string, number> = {};
  let total = 0;
  for (const p of group.partitions) {
    partitions[`${p.topic}/${p.partition}`] = p.lag ?? 0;
    total += p.lag ?? 0;
  }
  return { t, total, partitions };
}

export class LagHistory {
  private readonly byGroup = new Map<string, LagSample[]>();
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;
  readonly intervalMs: number;
  readonly keepMs: number;

  constructor(
    private readonly admin: Admin,
    options: LagHistoryOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.intervalMs = options.intervalMs ?? 10_000;
    this.keepMs = options.keepMs ?? 60 * 60 * 1000;
  }

  /** Adds a sample of this group as just described. */
  record(group: ConsumerGroupDescription): void {
    const t = this.now();
    const samples = this.byGroup.get(group.groupId) ?? [];
    const last = samples[samples.length - 1];
    const sample = lagSample(group, t);
    if (last !== undefined && t - last.t < MIN_SPACING_MS) samples[samples.length - 1] = sample;
    else samples.push(sample);
    while (samples.length > 0 && samples[0]!.t < t - this.keepMs) samples.shift();
    this.byGroup.set(group.groupId, samples);
  }

  samples(groupId: string): readonly LagSample[] {
    return this.byGroup.get(groupId) ?? [];
  }

  /** Samples every group now, then every intervalMs until stop(). A failed round is skipped (the next one tries again). */
  start(): void {
    if (this.timer !== undefined) return;
    const round = (): void => {
      this.sampling ??= this.sampleAll()
        .catch(() => undefined)
        .finally(() => {
          this.sampling = undefined;
        });
    };
    round();
    this.timer = setInterval(round, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sampling;
  }

  private async sampleAll(): Promise<void> {
    const { groups } = await this.admin.listGroups();
    const ids = groups.map((g) => g.groupId);
    for (let i = 0; i < ids.length; i += GROUPS_PER_CALL) {
      for (const group of (await this.admin.describeGroups(ids.slice(i, i + GROUPS_PER_CALL))).groups) {
        if (group.partitions.length > 0) this.record(group);
      }
    }
  }
}
