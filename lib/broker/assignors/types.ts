/** One partition of one topic. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/** A group member as an assignor sees it. */
export interface AssignorMember {
  memberId: string;
  /** `group.instance.id` of a static member. */
  instanceId?: string;
  /** Subscribed topic names; topics absent from `partitionsPerTopic` are ignored. */
  topics: string[];
  /** Partitions the member owns now (the coordinator's record of its current assignment). */
  owned?: TopicPartition[];
}

export interface AssignInput {
  members: AssignorMember[];
  partitionsPerTopic: Record<string, number>;
}

/** Partitions per member id; every member of the input appears, possibly with `[]`. */
export type Assignment = Record<string /* memberId */, TopicPartition[]>;

export type AssignorName = 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';

export interface Assignor {
  name: AssignorName;
  assign(input: AssignInput): Assignment;
}
