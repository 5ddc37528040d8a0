/**
 * A handler written for MSK with Powertools' Kafka consumer utility
 * (`@aws-lambda-powertools/kafka`) runs unchanged on the event a
 * subscription delivers: keys and values deserialized and validated with
 * its JSON schemas, headers decoded, positions kept.
 */
import { kafkaConsumer } from '@aws-lambda-powertools/kafka';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildKafkaEvent, type DeliveredRecord } from '../../lib/triggers/index.js';

const source = { eventSource: 'aws:kafka' as const, eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/kafkaless/app', bootstrapServers: 'kafkaless' };

function order(offset: number, id: number): DeliveredRecord {
  return {
    topic: 'orders',
    partition: 2,
    offset,
    timestamp: 1_764_806_400_000 + offset,
    timestampType: 'CreateTime',
    key: Buffer.from(JSON.stringify(`customer-${id % 3}`)),
    value: Buffer.from(JSON.stringify({ id, total: id * 10 })),
    headers: [{ key: 'source', value: Buffer.from('checkout') }],
  };
}

/** The Lambda context; the utility does not read it. */
const context = {} as Parameters<ReturnType<typeof kafkaConsumer>>[1];

const valueSchema = z.object({ id: z.number(), total: z.number() });
type Order = z.infer<typeof valueSchema>;

describe("Powertools' Kafka consumer utility", () => {
  it('deserializes and validates the records of a subscription event with its JSON schemas', async () => {
    const seen: { key: string; value: Order; offset: number; headers: unknown }[] = [];
    const handler = kafkaConsumer<string, Order>(
      async (event) => {
        for (const r of event.records) seen.push({ key: r.key, value: r.value, offset: r.offset, headers: r.headers });
        return { batchItemFailures: [] };
      },
      { key: { type: 'json', parserSchema: z.string() }, value: { type: 'json', parserSchema: valueSchema } },
    );
    const event = buildKafkaEvent(source, [order(40, 7), order(41, 8)]);
    await expect(handler(event as never, context)).resolves.toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([
      { key: 'customer-1', value: { id: 7, total: 70 }, offset: 40, headers: [{ source: 'checkout' }] },
      { key: 'customer-2', value: { id: 8, total: 80 }, offset: 41, headers: [{ source: 'checkout' }] },
    ]);
  });

  it('rejects a value its schema refuses, as it does for MSK', async () => {
    const handler = kafkaConsumer(
      async (event) => {
        // Records are deserialized as they are read.
        for (const r of event.records) void r.value;
      }, { value: { type: 'json', parserSchema: valueSchema } });
    const bad = { ...order(1, 1), value: Buffer.from('{"id":"not a number"}') };
    await expect(handler(buildKafkaEvent(source, [bad]) as never, context)).rejects.toThrow();
  });
});
