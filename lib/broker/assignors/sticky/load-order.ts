import { compareJavaStrings } from '../java-order.js';

/**
 * The members taking part in a general sticky rebalance, ordered by how many
 * partitions they hold, then by member id (Kafka's `SubscriptionComparator`).
 */
export class LoadOrder {
  private readonly members = new Set<string>();

  constructor(private readonly sizeOf: (memberId: string) => number) {}

  add(memberId: string): void {
    this.members.add(memberId);
  }

  delete(memberId: string): void {
    this.members.delete(memberId);
  }

  /** Least loaded first. */
  sorted(): string[] {
    return [...this.members].sort((a, b) => this.sizeOf(a) - this.sizeOf(b) || compareJavaStrings(a, b));
  }
}
