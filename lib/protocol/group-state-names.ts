/** Kafka's names of group states (Java's ConsumerGroupState and classic GroupState), as its tools and clients show them. */
import type { GroupStateName } from './group-replies.js';

export type KafkaGroupState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable' | 'Dead' | 'PreparingRebalance' | 'CompletingRebalance';

const KAFKA_STATE_NAMES: Readonly<Record<GroupStateName, KafkaGroupState>> = {
  EMPTY: 'Empty',
  ASSIGNING: 'Assigning',
  RECONCILING: 'Reconciling',
  STABLE: 'Stable',
  DEAD: 'Dead',
  PREPARING_REBALANCE: 'PreparingRebalance',
  COMPLETING_REBALANCE: 'CompletingRebalance',
};

export function kafkaGroupState(state: GroupStateName): KafkaGroupState {
  return KAFKA_STATE_NAMES[state];
}
