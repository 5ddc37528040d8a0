/**
 * How a classic group's JoinGroup and SyncGroup wait without a coordinator
 * process: the gateway asks the broker again at a modest interval (each ask
 * reads the group item in DynamoDB and may complete the rebalance) until the
 * answer is final or the wait's bound passed. Errors of a group request are
 * answered with Kafka's code; a failure that is no protocol outcome is
 * COORDINATOR_NOT_AVAILABLE, which clients retry.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkalessError } from '../../errors.js';
import { codeOf } from '../wire-answers.js';

/** Between two asks of a waiting join or sync (never faster: each ask is a DynamoDB query). */
export const CLASSIC_POLL_INTERVAL_MS = 200;

/** Past the rebalance timeout (when the broker ends the join phase anyway), the gateway stops waiting after this. */
export const CLASSIC_WAIT_MARGIN_MS = 5_000;

/** The longest any join or sync waits in the gateway, whatever rebalance timeout a client sent (Java's default is 5 min). */
export const CLASSIC_MAX_WAIT_MS = 10 * 60_000;

export async function pollUntil<T>(first: T, ask: (last: T) => Promise<T>, waiting: (reply: T) => boolean, maxWaitMs: number): Promise<T> {
  const until = Date.now() + Math.min(maxWaitMs, CLASSIC_MAX_WAIT_MS);
  let reply = first;
  while (waiting(reply) && Date.now() < until) {
    await sleep(CLASSIC_POLL_INTERVAL_MS);
    reply = await ask(reply);
  }
  return reply;
}

export function groupErrorCode(err: unknown): number {
  if (err instanceof KafkalessError) return codeOf(err.code === 'KafkaStorageError' || err.code === 'UnknownServerError' ? 'CoordinatorNotAvailable' : err.code);
  return codeOf('CoordinatorNotAvailable');
}

/** A JoinGroup/SyncGroup instance id: the wire's null as absent. */
export const instanceIdOf = (id: string | null): { instanceId?: string } => (id !== null && id !== '' ? { instanceId: id } : {});
