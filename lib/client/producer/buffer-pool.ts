/**
 * Bounds the bytes a producer holds (buffer.memory). Past the bound, `reserve`
 * waits for sends to complete, up to max.block.ms, then fails clearly.
 */
import { KafkalessError } from '../../errors.js';

export class BufferPool {
  private usedBytes = 0;
  private readonly waiters: { bytes: number; resolve: () => void }[] = [];

  constructor(
    readonly capacityBytes: number,
    private readonly maxBlockMs: number,
  ) {}

  get used(): number {
    return this.usedBytes;
  }

  async reserve(bytes: number): Promise<void> {
    if (bytes > this.capacityBytes) {
      throw new KafkalessError('RecordTooLarge', `A message of ${bytes} bytes is larger than buffer.memory (${this.capacityBytes})`);
    }
    if (this.waiters.length === 0 && this.usedBytes + bytes <= this.capacityBytes) {
      this.usedBytes += bytes;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = { bytes, resolve: () => { clearTimeout(timer); resolve(); } };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(
          new KafkalessError(
            'RequestTimedOut',
            `Could not buffer the message within max.block.ms (${this.maxBlockMs} ms): buffer.memory (${this.capacityBytes} bytes) is full because sends are not completing fast enough. Slow down, raise buffer.memory, or check the produce function.`,
          ),
        );
      }, this.maxBlockMs);
      this.waiters.push(waiter);
    });
  }

  release(bytes: number): void {
    this.usedBytes -= bytes;
    while (this.waiters.length > 0 && this.usedBytes + this.waiters[0]!.bytes <= this.capacityBytes) {
      const w = this.waiters.shift()!;
      this.usedBytes += w.bytes;
      w.resolve();
    }
  }
}
