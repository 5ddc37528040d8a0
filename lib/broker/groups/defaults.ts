/** The coordinator's defaults and bounds, in one place. */
import type { AssignorName } from '../assignors/index.js';
import { DYNAMODB_TRANSACTION_ITEMS } from '../../limits.js';

/**
 * The assignor of a group whose members name none. KIP-848's default server
 * assignor is 'uniform' (sticky); ours is cooperative-sticky: balanced, and it
 * moves as few partitions as balance needs, which incremental reconciliation
 * turns into the fewest revocations.
 */
export const DEFAULT_ASSIGNOR: AssignorName = 'cooperative-sticky';

/** Kafka's session.timeout.ms default (group.consumer.session.timeout.ms). */
export const DEFAULT_SESSION_TIMEOUT_MS = 45_000;
export const MIN_SESSION_TIMEOUT_MS = 100;
export const MAX_SESSION_TIMEOUT_MS = 3_600_000;

/** KIP-848's group.consumer.heartbeat.interval.ms default. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;

/** The interval a member is told to heartbeat at: the default, or a third of its session when that is shorter. */
export function heartbeatIntervalFor(sessionTimeoutMs: number): number {
  return Math.min(DEFAULT_HEARTBEAT_INTERVAL_MS, Math.max(1, Math.floor(sessionTimeoutMs / 3)));
}

/** Members removed by one step at most (each is one item of the step's transaction). */
export const MAX_EXPIRED_PER_STEP = 40;

/** Offsets written by one coordinator step (the rest of the transaction holds the meta and a few members). */
export const OFFSETS_PER_GROUP_STEP = 50;

/** Offsets per member commit update (keeps its update and condition expressions within DynamoDB's 4 KB each). */
export const OFFSETS_PER_MEMBER_COMMIT = DYNAMODB_TRANSACTION_ITEMS - 1;

/** How long the coordinator trusts its list of topics before listing again. */
export const TOPIC_METADATA_TTL_MS = 1_000;

/** Members of a classic group: a completed generation rewrites the meta and every member in one transaction. */
export const CLASSIC_MAX_MEMBERS = DYNAMODB_TRANSACTION_ITEMS - 1;
