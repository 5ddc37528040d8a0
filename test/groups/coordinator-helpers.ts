/** Helpers for driving the coordinator through the embedded transport with an injected clock. */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import type { CommitOffsetsReply, HeartbeatReply } from '../../lib/protocol/group-replies.js';
import { call } from '../../lib/client/transport.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';

export interface Clock {
  now: () => number;
  advance(ms: number): void;
}

/**
 * Starts at the real time: DynamoDB Local runs TTL deletion, so items whose
 * `expiresAt` derives from a clock far in the past would vanish under the test.
 */
export function manualClock(startMs = Math.floor(Date.now() / 1000) * 1000): Clock {
  let nowMs = startMs;
  return { now: () => nowMs, advance: (ms) => void (nowMs += ms) };
}

export interface GroupTestbed {
  readonly t: TestKafkaless;
  readonly clock: Clock;
  heartbeat(request: Record<string, unknown>): Promise<HeartbeatReply>;
  commit(request: Record<string, unknown>): Promise<CommitOffsetsReply>;
  groupItems(): Promise<unknown[]>;
}

export async function createGroupTestbed(): Promise<GroupTestbed> {
  const clock = manualClock();
  const t = await createTestKafkaless({ now: clock.now });
  return {
    t,
    clock,
    heartbeat: (request) => call<HeartbeatReply>(t.transport, 'group', { action: 'heartbeat', ...request }),
    commit: (request) => call<CommitOffsetsReply>(t.transport, 'group', { action: 'commitOffsets', ...request }),
    async groupItems() {
      const out = await t.clients.dynamodb.send(new ScanCommand({ TableName: t.tables.groups, ConsistentRead: true }));
      return (out.Items ?? []).map((i) => JSON.stringify(i)).sort();
    },
  };
}

/** Expects the action to fail with a KafkalessError of this code. */
export async function expectCode(action: () => Promise<unknown>, code: string): Promise<KafkalessError> {
  const err = await action().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KafkalessError);
  expect((err as KafkalessError).code).toBe(code);
  return err as KafkalessError;
}

export const tps = (topic: string, partitions: readonly number[]) => partitions.map((partition) => ({ topic, partition }));

