/**
 * What the console shows of S3 and DynamoDB, over the test services:
 * commits and objects on the overview with the cost estimate made from them,
 * a partition's index items before and after a segment roll, the last
 * maintenance runs as the runs recorded them, and orphan objects as the
 * collector sees them. Bad input answers Kafka's error names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore } from '../../lib/storage/object-store.js';
import { createIngestKeyFactory } from '../../lib/broker/produce/ingest-key.js';
import { call as invoke } from '../../lib/client/transport.js';
import { startConsole, type ConsoleServer } from '../../lib/console/console-server.js';
import { commitWriteUnits, estimateCost } from '../../lib/console/cost-estimate.js';
import type { DescribeLogReply, MaintenanceStatusReply, StorageSummaryReply } from '../../lib/protocol/inspection-replies.js';
import type { CostEstimate } from '../../lib/console/cost-estimate.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { batchBase64, produceRaw } from '../log-path/helpers.js';

let t: TestKafkaless;
let server: ConsoleServer;

beforeAll(async () => {
  t = await createTestKafkaless();
  server = await startConsole({ kafkaless: t.kafkaless });
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

async function get<T>(path: string): Promise<{ status: number; body: T & { error?: { code: string } } }> {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, body: (await res.json()) as T & { error?: { code: string } } };
}

describe("the console's storage views", () => {
  it('counts commits and objects, prices them, and shows which object holds which offsets, before and after a roll', async () => {
    await t.kafkaless.admin().createTopics({ topics: [{ topic: 'st', numPartitions: 2, configEntries: [{ name: 'segment.ms', value: '1' }] }] });
    const producer = t.kafkaless.producer();
    for (const [partition, value] of [[0, 'a'], [0, 'b'], [1, 'c']] as const) await producer.send({ topic: 'st', messages: [{ value, partition }] });
    await producer.disconnect();

    const overview = await get<{ storage: StorageSummaryReply; cost: CostEstimate }>('/api/overview');
    expect(overview.body.storage.commits).toMatchObject({ commits: 3, items: 3, records: 3 });
    expect(overview.body.storage.objects.ingest.count).toBe(3);
    expect(overview.body.storage.perMinute.reduce((n, m) => n + m.commits, 0)).toBe(3);
    expect(overview.body.storage.topics).toMatchObject([{ topic: 'st', partitions: 2, commits: 3 }]);
    expect(overview.body.cost.usdPerDay).toBeGreaterThan(0);
    expect(overview.body.cost.lines.map((l) => l.item)).toContain('S3 PUTs of produce commits');

    const before = await get<DescribeLogReply>('/api/topics/st/partitions/0');
    expect(before.body).toMatchObject({ logStartOffset: 0, highWatermark: 2 });
    expect(before.body.items.map((i) => [i.baseOffset, i.lastOffset, i.kind])).toEqual([[0, 0, 'ingest'], [1, 1, 'ingest']]);
    expect(before.body.objects.map((o) => o.refs)).toEqual([1, 1]);
    const paged = await get<DescribeLogReply>('/api/topics/st/partitions/0?limit=1');
    expect([paged.body.items.length, paged.body.nextOffset]).toEqual([1, 1]);
    expect((await get<DescribeLogReply>('/api/topics/st/partitions/0?from=1')).body.items.map((i) => i.baseOffset)).toEqual([1]);

    await new Promise((resolve) => setTimeout(resolve, 5));
    await invoke(t.transport, 'maintenance', { action: 'run' });
    const after = await get<DescribeLogReply>('/api/topics/st/partitions/0');
    expect(after.body.items.map((i) => [i.baseOffset, i.lastOffset, i.kind, i.recordCount])).toEqual([[0, 1, 'segment', 2]]);
    expect(after.body.objects).toMatchObject([{ refs: 1, state: 'live' }]);

    const status = await get<MaintenanceStatusReply>('/api/maintenance');
    const steps = Object.fromEntries(status.body.runs.map((r) => [r.step, r]));
    expect(Object.keys(steps)).toEqual(['transactions', 'segments', 'retention', 'compaction', 'gc', 'groups']);
    expect(steps.segments).toMatchObject({ scope: {}, outcome: { partitions: 2, segmentsWritten: 2, batchesRolled: 3 }, errors: [] });
    expect(steps.gc!.outcome).toMatchObject({ objectsDeleted: 0, skipped: 0 });
    // The rolled ingest objects: no reference now, collected after the grace period.
    expect(status.body.unreferenced).toMatchObject({ count: 3, due: 0 });
    expect(status.body.unregistered).toMatchObject({ count: 0 });
  });

  it('shows an aggregated commit as one index item with its batch count', async () => {
    await t.kafkaless.admin().createTopics({ topics: [{ topic: 'agg', numPartitions: 1 }] });
    const aggregating = t.another({ aggregation: { lingerMs: 150, maxBytes: 4 * 1024 * 1024 } });
    const batches = await Promise.all(['x', 'y', 'z'].map((v) => batchBase64([v])));
    await Promise.all(batches.map((batch) => produceRaw(aggregating.transport, 'agg', 0, batch)));
    const log = await get<DescribeLogReply>('/api/topics/agg/partitions/0');
    expect(log.body.items).toMatchObject([{ baseOffset: 0, lastOffset: 2, kind: 'ingest', batchCount: 3, recordCount: 3 }]);
    const overview = await get<{ storage: StorageSummaryReply }>('/api/overview');
    expect(overview.body.storage.topics.find((x) => x.topic === 'agg')).toMatchObject({ commits: 1, items: 1, records: 3 });
  });

  it('lists an ingest object no commit registered as the collector sees it, due once older than the grace period', async () => {
    const key = createIngestKeyFactory(Math.random)(Date.now() - 2 * 60 * 60 * 1000);
    await new ObjectStore(t.clients.s3, t.bucket).put(key, new Uint8Array(10));
    const status = await get<MaintenanceStatusReply>('/api/maintenance');
    expect(status.body.unregistered).toMatchObject({ count: 1, due: 1, bytes: 10, objects: [{ key, sizeBytes: 10, due: true }] });
  });

  it("answers a missing topic or partition and bad parameters with Kafka's error names", async () => {
    expect([(await get('/api/topics/st/partitions/2')).status, (await get('/api/topics/st/partitions/2')).body.error?.code]).toEqual([404, 'UnknownTopicOrPartition']);
    expect((await get('/api/topics/nope/partitions/0')).status).toBe(404);
    expect((await get('/api/topics/st/partitions/0?limit=5000')).body.error?.code).toBe('InvalidRequest');
    expect((await get('/api/topics/st/partitions/x')).body.error?.code).toBe('InvalidRequest');
    expect((await fetch(`${server.url}/topics/st/partitions/2`)).status).toBe(404);
    expect((await fetch(`${server.url}/topics/st/partitions/1`)).status).toBe(200);
    expect((await fetch(`${server.url}/maintenance`)).status).toBe(200);
  });
});

describe('the cost estimate', () => {
  it('prices what was counted, scaled from the window to a day', () => {
    const commits = { commits: 60, items: 120, producerItems: 120, records: 1200, bytes: 1e6 };
    const summary: StorageSummaryReply = {
      checkedAt: 0,
      windowMs: 60 * 60 * 1000,
      objects: { ingest: { count: 60, bytes: 1e9 }, segments: { count: 0, bytes: 0 }, other: { count: 0, bytes: 0 } },
      commits,
      topics: [{ topic: 'a', partitions: 2, storedBytes: 1e9, ...commits }],
      perMinute: [],
      rolledItems: 0,
      runs: [],
    };
    expect(commitWriteUnits(commits)).toBe(2 * (240 + 120 + 60));
    const cost = estimateCost(summary);
    const byItem = Object.fromEntries(cost.lines.map((l) => [l.item, l]));
    expect(byItem['S3 PUTs of produce commits']!.quantity).toBe(60 * 24);
    expect(byItem['S3 PUTs of produce commits']!.usdPerDay).toBeCloseTo(60 * 24 * 0.000005, 10);
    expect(byItem['S3 storage']!.usdPerDay).toBeCloseTo((0.023 * 24) / 730, 10);
    expect(byItem['Lambda compute of maintenance']).toBeUndefined();
    expect(cost.usdPerDay).toBeCloseTo(cost.lines.reduce((n, l) => n + l.usdPerDay, 0), 12);
    expect(cost.perTopic[0]!.commitsPerDay).toBe(60 * 24);
  });
});
