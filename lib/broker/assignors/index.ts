import { cooperativeStickyAssignor } from './cooperative-sticky.js';
import { rangeAssignor } from './range.js';
import { roundRobinAssignor } from './round-robin.js';
import { stickyAssignor } from './sticky.js';
import type { Assignor, AssignorName } from './types.js';

export type {
  AssignInput,
  Assignment,
  Assignor,
  AssignorMember,
  AssignorName,
  TopicPartition,
} from './types.js';
export { assignRange, rangeAssignor } from './range.js';
export { assignRoundRobin, roundRobinAssignor } from './round-robin.js';
export { assignSticky, stickyAssignor } from './sticky.js';
export { assignCooperativeSticky, cooperativeStickyAssignor } from './cooperative-sticky.js';
export { compareMembers, sortMembers } from './member-order.js';

/** The server-side assignors by the name a group is configured with. */
export const assignors: Readonly<Record<AssignorName, Assignor>> = Object.freeze({
  range: rangeAssignor,
  roundrobin: roundRobinAssignor,
  sticky: stickyAssignor,
  'cooperative-sticky': cooperativeStickyAssignor,
});

/** True when `name` is one of the built-in assignors. */
export function isAssignorName(name: string): name is AssignorName {
  return Object.hasOwn(assignors, name);
}
