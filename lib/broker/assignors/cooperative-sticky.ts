import { assignSticky } from './sticky.js';
import type { Assignment, Assignor, AssignInput } from './types.js';

/**
 * `cooperative-sticky`: the same target assignment as `sticky`.
 *
 * Kafka's client-side `CooperativeStickyAssignor` withholds, for one rebalance, each
 * partition that moves between members, so that its owner revokes it first. With
 * server-side assignment (KIP-848) the coordinator's reconciliation does that
 * instead: a member is handed a partition only after its previous owner released
 * it. The assignor therefore answers the target, which is sticky's.
 */
export function assignCooperativeSticky(input: AssignInput): Assignment {
  return assignSticky(input);
}

export const cooperativeStickyAssignor: Assignor = { name: 'cooperative-sticky', assign: assignCooperativeSticky };
