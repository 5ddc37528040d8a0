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

/** The DynamoDB commands (`GetItem`, `UpdateItem`, …) the testbed's client sends while `work` runs. */
export interface CommandCounter {
  counted<T>(work: () => Promise<T>): Promise<{ result: T; commands: string[] }>;
}

export function countCommands(g: GroupTestbed): CommandCounter {
  let commands: string[] = [];
  g.t.clients.dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'groupTestCommandCounter' },
  );
  return {
    async counted(work) {
      commands = [];
      const result = await work();
      return { result, commands: [...commands] };
    },
  };
}

/** A KIP-848 member's first heartbeat (epoch 0) subscribing to one topic. */
export const joinGroup = (g: GroupTestbed, groupId: string, memberId: string, topic: string, sessionTimeoutMs: number) =>
  g.heartbeat({ groupId, memberId, memberEpoch: 0, sessionTimeoutMs, subscribedTopics: [topic] });

/** The next heartbeat after `last`, owning what `last` assigned. */
export const beatAfter = (g: GroupTestbed, groupId: string, last: HeartbeatReply) =>
  g.heartbeat({ groupId, memberId: last.memberId, memberEpoch: last.memberEpoch, ownedPartitions: last.assignment });
