/**
 * Aggregation (DESIGN.md §7, invariant 11): produce requests handed in within
 * a linger window share one ingest object and one commit, and each keeps its
 * own meaning — its offsets, its idempotence, its order, its own failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { call } from '../../lib/client/transport.js';
import { KafkalessError } from '../../lib/errors.js';
import { encodeRecordBatch } from '../../lib/log/index.js';
import type { FetchReply, ProduceReply } from '../../lib/protocol/log-replies.js';
import { decodeRecordBatches } from '../../lib/log/index.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { bucketKeys, HOUR_MS, liveState, maintain, scanTable, testClock } from '../maintenance/helpers.js';
import { batchBase64, initProducerId, produceRaw } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  // A long window, so every request of a test lands in the same one.
  t = await createTestKafkaless({ aggregation: { lingerMs: 150, maxBytes: 4 * 1024 * 1024 } });
});
afterAll(async () => t?.close());

async function topic(name: string, partitions = 1): Promise<string> {
  await t.kafkaless.admin().createTopics({ topics: [{ topic: name, numPartitions: partitions }] });
  return name;
}

async function ingestObjects(): Promise<number> {
  const listed = await t.clients.s3.send(new ListObjectsV2Command({ Bucket: t.bucket, Prefix: 'ingest/' }));
  return listed.KeyCount ?? 0;
}

async function indexItems(name: string, partition: number): Promise<number> {
  const [d] = await t.kafkaless.admin().describeTopics({ topics: [name] });
  const out = await t.clients.dynamodb.send(
    new QueryCommand({ TableName: t.tables.batches, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `${d!.topicId}#${partition}` } }, ConsistentRead: true }),
  );
  return out.Count ?? 0;
}

async function readAll(name: string, partition: number, count: number): Promise<{ offset: number; value: string }[]> {
  const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
  consumer.assign([{ topic: name, partition }]);
  const read: { offset: number; value: string }[] = [];
  while (read.length < count) read.push(...(await consumer.poll({ timeoutMs: 100 })).map((r) => ({ offset: r.offset, value: r.value!.toString() })));
  await consumer.disconnect();
  return read;
}

describe('requests in one linger window', () => {
  it('share one ingest object and, per partition, one index item, while each request gets its own offsets in the order handed in', async () => {
    const name = await topic('agg-many', 2);
    const before = await ingestObjects();
    const batches = await Promise.all(Array.from({ length: 40 }, (_, i) => batchBase64([`r${i}`])));
    const replies = await Promise.all(batches.map((batch, i) => produceRaw(t.transport, name, i % 2, batch)));
    expect(await ingestObjects()).toBe(before + 1);
    expect(await indexItems(name, 0)).toBe(1);
    expect(await indexItems(name, 1)).toBe(1);
    for (const partition of [0, 1]) {
      const mine = replies.map((r, i) => ({ r, i })).filter(({ i }) => i % 2 === partition);
      // Handed in order, committed in that order: offsets 0, 1, 2, … in request order.
      expect(mine.map(({ r }) => r.baseOffset)).toEqual(mine.map((_, k) => k));
      const read = await readAll(name, partition, mine.length);
      expect(read).toEqual(mine.map(({ i }, k) => ({ offset: k, value: `r${i}` })));
    }
  });

  it('fails only the request with a bad batch or an unknown partition; the others are committed', async () => {
    const name = await topic('agg-bad');
    const good = await Promise.all([batchBase64(['a']), batchBase64(['b'])]);
    const corrupt = Buffer.from(await batchBase64(['x']), 'base64');
    corrupt[corrupt.length - 1] ^= 0xff;
    const outcomes = await Promise.allSettled([
      produceRaw(t.transport, name, 0, good[0]!),
      produceRaw(t.transport, name, 0, corrupt.toString('base64')),
      produceRaw(t.transport, name, 7, good[1]!),
      produceRaw(t.transport, name, 0, good[1]!),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(((outcomes[1] as PromiseRejectedResult).reason as KafkalessError).code).toBe('CorruptRecord');
    expect(((outcomes[2] as PromiseRejectedResult).reason as KafkalessError).code).toBe('UnknownTopicOrPartition');
    expect((await readAll(name, 0, 2)).map((r) => r.value)).toEqual(['a', 'b']);
  });

  it('keeps idempotence per request: a retry in the same window is answered with the first offsets, a gap and a fenced epoch fail alone', async () => {
    const name = await topic('agg-idem');
    const p1 = await initProducerId(t.transport);
    const p2 = await initProducerId(t.transport);
    const first = await batchBase64(['p1-0', 'p1-1'], { ...p1, baseSequence: 0 });
    const second = await batchBase64(['p1-2'], { ...p1, baseSequence: 2 });
    const gap = await batchBase64(['p2-9'], { ...p2, baseSequence: 9 });
    const p2first = await batchBase64(['p2-0'], { ...p2, baseSequence: 0 });
    const outcomes = await Promise.allSettled([
      produceRaw(t.transport, name, 0, first),
      produceRaw(t.transport, name, 0, gap),
      produceRaw(t.transport, name, 0, second),
      produceRaw(t.transport, name, 0, first),
      produceRaw(t.transport, name, 0, p2first),
    ]);
    const ok = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : undefined));
    expect(((outcomes[1] as PromiseRejectedResult).reason as KafkalessError).code).toBe('OutOfOrderSequence');
    expect(ok[0]!.baseOffset).toBe(0);
    expect(ok[2]!.baseOffset).toBe(2);
    expect(ok[3]).toMatchObject({ baseOffset: 0, duplicate: true });
    expect(ok[4]!.baseOffset).toBe(3);
    expect((await readAll(name, 0, 4)).map((r) => r.value)).toEqual(['p1-0', 'p1-1', 'p1-2', 'p2-0']);

    // The producer state went on from the window: the next batch of p1 follows sequence 2, an old epoch is fenced.
    const next = await produceRaw(t.transport, name, 0, await batchBase64(['p1-3'], { ...p1, baseSequence: 3 }));
    expect(next.baseOffset).toBe(4);
    const bumped = { producerId: p1.producerId, producerEpoch: p1.producerEpoch + 1 };
    const fenced = await Promise.allSettled([
      produceRaw(t.transport, name, 0, await batchBase64(['new'], { ...bumped, baseSequence: 0 })),
      produceRaw(t.transport, name, 0, await batchBase64(['old'], { ...p1, baseSequence: 4 })),
    ]);
    expect(fenced[0]).toMatchObject({ status: 'fulfilled', value: { baseOffset: 5 } });
    expect(((fenced[1] as PromiseRejectedResult).reason as KafkalessError).code).toBe('ProducerFenced');
  });

  it('commits a request naming several partitions all at once, beside requests to each of them', async () => {
    const name = await topic('agg-multi', 3);
    const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map((v) => batchBase64([v])));
    const [multi, single] = await Promise.all([
      call<ProduceReply>(t.transport, 'produce', {
        action: 'produce',
        entries: [
          { topic: name, partition: 0, batch: a },
          { topic: name, partition: 1, batch: b },
          { topic: name, partition: 2, batch: c },
        ],
      }),
      produceRaw(t.transport, name, 1, d!),
    ]);
    expect(multi.entries.map((e) => [e.partition, e.baseOffset])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    expect(single.baseOffset).toBe(1);
    expect((await readAll(name, 1, 2)).map((r) => r.value)).toEqual(['b', 'd']);
  });

  it('serves an aggregated item by time and from a segment rolled out of it, every offset holding the same record', async () => {
    const name = await topic('agg-roll');
    const base = Date.now() - 60_000;
    const timed = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => (await encodeRecordBatch([{ key: null, value: Buffer.from(`t${i}`), headers: [], timestamp: base + i * 1000 }])).toString('base64')),
    );
    await Promise.all(timed.map((batch) => produceRaw(t.transport, name, 0, batch)));
    expect(await indexItems(name, 0)).toBe(1);
    const byTime = await t.kafkaless.admin().fetchTopicOffsetsByTimestamp(name, base + 5500);
    expect(byTime).toEqual([{ partition: 0, offset: '6' }]);

    const clock = testClock(Date.now() + 7 * 24 * 3_600_000);
    await maintain(t, clock, { topic: name, steps: ['segments'] });
    const [d] = await t.kafkaless.admin().describeTopics({ topics: [name] });
    const items = await t.clients.dynamodb.send(
      new QueryCommand({ TableName: t.tables.batches, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `${d!.topicId}#0` } }, ConsistentRead: true }),
    );
    expect(items.Items!.map((i) => i.objectKey!.S!.startsWith('topics/'))).toEqual([true]);
    expect(await readAll(name, 0, 12)).toEqual(Array.from({ length: 12 }, (_, i) => ({ offset: i, value: `t${i}` })));

    // No dangling references (invariant 8) with objects shared by many requests and commits: once the grace period
    // has passed since the roll released them, the collector leaves exactly the objects index items point at, each
    // counted once per item.
    clock.advance(HOUR_MS + 1);
    await maintain(t, clock, { steps: ['gc'] });
    const { referenced, refs } = await liveState(t);
    expect(new Set(await bucketKeys(t.clients.s3, t.bucket))).toEqual(referenced);
    const registry = await scanTable(t, t.tables.objects);
    expect(new Map(registry.map((r) => [String(r.key), Number(r.refs)]))).toEqual(refs);
  });

  it('serves a fetch only the batches of an aggregated item from its offset, within its byte limit', async () => {
    const name = await topic('agg-fetch');
    const batches = await Promise.all(Array.from({ length: 10 }, (_, i) => batchBase64([`f${i}`.padEnd(200, '.')])));
    await Promise.all(batches.map((batch) => produceRaw(t.transport, name, 0, batch)));
    expect(await indexItems(name, 0)).toBe(1);
    const size = Buffer.from(batches[0]!, 'base64').length;
    const reply = await call<FetchReply>(t.transport, 'fetch', { action: 'fetch', partitions: [{ topic: name, partition: 0, offset: 4, maxBytes: 2 * size + 1 }] });
    const records = (await decodeRecordBatches(Buffer.from(reply.partitions[0]!.records, 'base64'))).flatMap((b) => b.records);
    expect(records.map((r) => [r.offset, r.value!.toString().slice(0, 2)])).toEqual([
      [4, 'f4'],
      [5, 'f5'],
    ]);
  });
});
