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
