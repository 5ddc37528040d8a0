/** What a `produce` run had acknowledged when it stopped: for the report of a run that failed part-way. */
import type { ProducerConfig } from '../../lib/client/producer/config.js';
import type { RecordMetadata } from '../../lib/client/producer/message.js';

/** What the records acknowledged so far took: how many, and the last offset per partition. */
export class Acknowledged {
  count = 0;
  readonly lastOffsets = new Map<number, number>();
  readonly perPartition = new Map<number, number>();

  add(m: RecordMetadata): void {
    this.count++;
    this.perPartition.set(m.partition, (this.perPartition.get(m.partition) ?? 0) + 1);
    if (m.offset >= 0) this.lastOffsets.set(m.partition, Math.max(m.offset, this.lastOffsets.get(m.partition) ?? -1));
  }

  describe(read: number, acks: ProducerConfig['acks']): string {
    if (acks === 0) return `Sent ${this.count} of ${read} records read before the error (acks=0: none acknowledged, offsets unknown).`;
    const offsets = [...this.lastOffsets].sort((a, b) => a[0] - b[0]).map(([p, o]) => `partition ${p} up to offset ${o}`);
    return `Committed ${this.count} of ${read} records read before the error${offsets.length > 0 ? ` (${offsets.join(', ')})` : ''}.`;
  }
}
