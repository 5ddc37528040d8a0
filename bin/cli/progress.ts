/** Progress for long work, on stderr and only on a terminal (or when asked), at most once a second. */
export class Progress {
  private lastMs = 0;
  private readonly startMs = Date.now();

  constructor(
    private readonly label: string,
    private readonly enabled = process.stderr.isTTY === true,
  ) {}

  tick(count: number): void {
    const now = Date.now();
    if (!this.enabled || now - this.lastMs < 1000) return;
    this.lastMs = now;
    process.stderr.write(`\r${this.label}: ${count} records (${this.rate(count)} records/s)   `);
  }

  elapsedMs(): number {
    return Date.now() - this.startMs;
  }

  rate(count: number): number {
    return Math.round((count * 1000) / Math.max(1, this.elapsedMs()));
  }

  done(): void {
    if (this.enabled && this.lastMs > 0) process.stderr.write('\n');
  }
}
