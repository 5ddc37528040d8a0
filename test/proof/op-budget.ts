/** How often a worker held back by its share looks again. */
const PACE_POLL_MS = 5;

/** A run's operations, handed out one ticket at a time to whichever worker is ready. */
export class OpBudget {
  private taken = 0;
  private completed = 0;

  constructor(
    readonly total: number,
    private readonly onComplete: (completed: number, total: number) => void = () => undefined,
  ) {}

  /** Takes a ticket; false once every ticket is taken. */
  take(): boolean {
    if (this.taken >= this.total) return false;
    this.taken++;
    return true;
  }

  /**
   * For a kind of work held to a share of the run (reads, group calls,
   * transactions): waits while that kind's count would pass `share` of the
   * tickets handed out, then takes a ticket and counts it. False once every
   * ticket is taken.
   */
  async takeWithin(counter: { count: number }, share: number): Promise<boolean> {
    while (!this.exhausted) {
      if (counter.count + 1 <= share * (this.taken + 1)) {
        if (!this.take()) return false;
        counter.count++;
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, PACE_POLL_MS));
    }
    return false;
  }

  /** As `takeWithin`, without waiting: false when the share or the tickets are used up. */
  tryTakeWithin(counter: { count: number }, share: number): boolean {
    if (counter.count + 1 > share * (this.taken + 1) || !this.take()) return false;
    counter.count++;
    return true;
  }

  get takenCount(): number {
    return this.taken;
  }

  get exhausted(): boolean {
    return this.taken >= this.total;
  }

  /** Marks one operation finished. */
  complete(): void {
    this.completed++;
    this.onComplete(this.completed, this.total);
  }

  get completedCount(): number {
    return this.completed;
  }
}
