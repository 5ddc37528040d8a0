/** What the admin tests share: the topic table read back, and "refused, and nothing changed". */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import type { TestKafkaless } from '../support/embedded.js';

export async function topicTableItems(t: TestKafkaless): Promise<unknown[]> {
  const out = await t.clients.dynamodb.send(new ScanCommand({ TableName: t.tables.topics, ConsistentRead: true }));
  return (out.Items ?? []).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Expects `action` to fail with `code` and a message, leaving the topic table as it was; answers the error. */
export async function expectNoChange(t: TestKafkaless, action: () => Promise<unknown>, code: string): Promise<KafkalessError> {
  const before = await topicTableItems(t);
  const err = await action().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KafkalessError);
  expect((err as KafkalessError).code).toBe(code);
  expect((err as KafkalessError).message.length).toBeGreaterThan(10);
  expect(await topicTableItems(t)).toEqual(before);
  return err as KafkalessError;
}
