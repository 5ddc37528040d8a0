/**
 * A group member's offsets: the next offset to commit per partition (after
 * the last record processed, or where the user sought), what was last
 * committed, and the commit itself, sent with the member's id and epoch.
 * Only what was marked is ever committed.
 */
import type { CommitOffsetsReply, CommitResult } from '../../protocol/group-replies.js';
import { call, type Transport } from '../transport.js';
import type { ConsumerInstrumentation } from './consumer-events.js';
import type { GroupMembership } from './group-membership.js';
import { offsetsByTopic, tpKey as key, type TopicPartition } from './records.js';

export interface OffsetToCommit {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to consume, as Kafka commits it. */
  readonly offset: number | string;
  readonly metadata?: string;
}

interface Marked {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export class GroupCommits {
  private readonly marked = new Map<string, Marked>();
  private readonly lastCommitted = new Map<string, number>();

  constructor(
    private readonly transport: Transport,
    private readonly groupId: string,
    private readonly membership: GroupMembership,
    private readonly instrumentation: ConsumerInstrumentation,
  ) {}

  /** The next offset to commit for this partition (lower than before after a seek back: then that is what is sent). */
  mark(tp: TopicPartition, nextOffset: number): void {
    this.marked.set(key(tp), { topic: tp.topic, partition: tp.partition, offset: nextOffset });
  }

  /** What the group had committed when the partition was taken. */
  noteCommitted(tp: TopicPartition, offset: number): void {
    this.lastCommitted.set(key(tp), offset);
  }

  forget(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      this.marked.delete(key(tp));
      this.lastCommitted.delete(key(tp));
    }
  }

  clear(): void {
    this.marked.clear();
    this.lastCommitted.clear();
  }

  /** Marked offsets of these partitions not committed yet. */
  pending(partitions: readonly TopicPartition[]): Marked[] {
    return partitions.map((tp) => this.marked.get(key(tp))).filter((m): m is Marked => m !== undefined && this.lastCommitted.get(key(m)) !== m.offset);
  }

  async commitMarked(partitions: readonly TopicPartition[]): Promise<CommitResult[]> {
    return this.commit(this.pending(partitions));
  }

  async commit(offsets: readonly OffsetToCommit[]): Promise<CommitResult[]> {
    if (offsets.length === 0) return [];
    const request = offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: Number(o.offset), ...(o.metadata !== undefined ? { metadata: o.metadata } : {}) }));
    let sent = { memberId: '', memberEpoch: 0 };
    const reply = await this.membership.exclusive(() => {
      sent = { memberId: this.membership.memberId, memberEpoch: this.membership.memberEpoch };
      return call<CommitOffsetsReply>(this.transport, 'group', { action: 'commitOffsets', groupId: this.groupId, ...sent, offsets: request });
    });
    for (const r of reply.offsets) this.lastCommitted.set(key(r), r.offset);
    this.instrumentation.emit('consumer.commit_offsets', { groupId: this.groupId, memberId: sent.memberId, groupGenerationId: sent.memberEpoch, topics: offsetsByTopic(reply.offsets).topics });
    return [...reply.offsets];
  }
}
