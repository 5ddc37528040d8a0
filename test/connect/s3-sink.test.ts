/**
 * The S3 sink on a real subscription delivery over DynamoDB Local and the
 * S3 server: objects named as Confluent names them, flushed by flush.size
 * and rotate.interval.ms, every record in exactly one object across a crash
 * between the upload and the offset commit, Parquet that reads back equal,
 * and errors.tolerance's two behaviours.
 */
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wakeEvent } from '../../lib/connect/connector-status.js';
import { CONNECT_ERROR_HEADERS } from '../../lib/connect/index.js';
import { InjectedFault } from '../../lib/faults.js';
import { committedOffset, fetchRecords } from '../../lib/triggers/partition-log.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { append, jsonLines, sinkUnderTest, topicWith } from './support.js';

let k: TestKafkaless;

beforeAll(async () => {
  k = await createTestKafkaless();
});

afterAll(async () => {
  await k?.close();
});

const values = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => JSON.stringify({ n: from + i, name: `item-${from + i}` }));

async function allLines(sink: Awaited<ReturnType<typeof sinkUnderTest>>): Promise<unknown[]> {
  const lines: unknown[] = [];
  for (const key of await sink.keys()) lines.push(...jsonLines(await sink.object(key)));
  return lines;
}

describe('S3 sink, JSON Lines', () => {
  it('writes flush.size records per object named topics/<topic>/partition=<p>/<topic>+<p>+<offset>.json, and holds the open flush until more records close it', async () => {
    const topic = await topicWith(k, values(0, 25));
    const sink = await sinkUnderTest(k, { 'connector.class': 'S3Sink', topics: topic, 'flush.size': 10 });
    const report = await sink.deliver();
    expect(report.status).toBe('caught-up');
    expect(await sink.keys()).toEqual([`topics/${topic}/partition=0/${topic}+0+0000000000.json`, `topics/${topic}/partition=0/${topic}+0+0000000010.json`]);
    expect(await committedOffset(k.transport, `connect-${sink.name}`, { topic, partition: 0 })).toBe(20);

    await append(k, topic, values(25, 31));
    await sink.deliver();
    expect((await sink.keys()).at(-1)).toBe(`topics/${topic}/partition=0/${topic}+0+0000000020.json`);
    expect(await allLines(sink)).toEqual(values(0, 30).map((v) => JSON.parse(v)));
    expect(await committedOffset(k.transport, `connect-${sink.name}`, { topic, partition: 0 })).toBe(30);
  });

  it('rotates by rotate.interval.ms on the records\' own timestamps', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const topic = await topicWith(k, values(0, 6), { timestamps: [t0, t0 + 100, t0 + 1000, t0 + 1100, t0 + 2500, t0 + 2600] });
    const sink = await sinkUnderTest(k, { 'connector.class': 'S3Sink', topics: topic, 'flush.size': 100, 'rotate.interval.ms': 1000 });
    await sink.deliver();
    // [0,1] closed by 2 (1000 ms after 0), [2,3] closed by 4; [4,5] is open at the log end.
    expect((await sink.keys()).map((key) => key.split('/').at(-1))).toEqual([`${topic}+0+0000000000.json`, `${topic}+0+0000000002.json`]);
  });

  it('holds every record exactly once across a crash after the upload, before the offsets were committed', async () => {
    const topic = await topicWith(k, values(0, 20));
    let uploads = 0;
    const faults = {
      async at(point: string) {
        if (point === 'connect.afterUpload' && ++uploads === 1) throw new InjectedFault('connect.afterUpload');
      },
    };
    const sink = await sinkUnderTest(k, { 'connector.class': 'S3Sink', topics: topic, 'flush.size': 10 }, { faults });
    await sink.deliver();
    expect(uploads).toBeGreaterThan(1); // the crash happened and the batch was tried again
    expect(await allLines(sink)).toEqual(values(0, 20).map((v) => JSON.parse(v)));

    // The deliverer itself dies after the sink answered, before it committed: a new one writes the same objects again.
    await append(k, topic, values(20, 35));
    await expect(
      sink.deliver(0, (inner) => async (fn, payload) => {
        await inner(fn, payload);
        throw new Error('the trigger died');
      }),
    ).rejects.toThrow('the trigger died');
    expect(await committedOffset(k.transport, `connect-${sink.name}`, { topic, partition: 0 })).toBe(20);
    await append(k, topic, values(35, 40));
    await sink.deliver();
    expect(await committedOffset(k.transport, `connect-${sink.name}`, { topic, partition: 0 })).toBe(40);
    expect(await allLines(sink)).toEqual(values(0, 40).map((v) => JSON.parse(v)));
  });
});

describe('S3 sink, topics.regex', () => {
  it('receives the topics whose whole names match, woken through the trigger', async () => {
    const topic = await topicWith(k, values(0, 3));
    await topicWith(k, values(0, 3)); // another topic, not matched
    const sink = await sinkUnderTest(k, { 'connector.class': 'S3Sink', 'topics.regex': `${topic}|nothing-else`, 'flush.size': 3 });
    const [described] = await k.kafkaless.admin().describeTopics({ topics: [topic] });
    await sink.trigger(wakeEvent([{ topicId: described!.topicId, partition: 0, highWatermark: 3 }]));
    expect(await sink.keys()).toEqual([`topics/${topic}/partition=0/${topic}+0+0000000000.json`]);
  });
});

describe('S3 sink, Parquet and partitioners', () => {
  it('writes Parquet that reads back (hyparquet) equal to the records', async () => {
    const records = [
      { id: 1, name: 'a', ok: true, tags: ['x'] },
      { id: 2.5, name: 'b', ok: false, tags: [] },
      { id: 3, name: null, ok: true, extra: { deep: 1 } },
    ];
    const topic = await topicWith(k, records.map((r) => JSON.stringify(r)));
    const sink = await sinkUnderTest(k, { 'connector.class': 'S3Sink', topics: topic, 'flush.size': 3, 'format.class': 'io.confluent.connect.s3.format.parquet.ParquetFormat' });
    await sink.deliver();
    const keys = await sink.keys();
    expect(keys).toEqual([`topics/${topic}/partition=0/${topic}+0+0000000000.snappy.parquet`]);
    const body = await sink.object(keys[0]!);
    const rows = await parquetReadObjects({ file: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer });
    expect(rows).toEqual(records.map((r) => ({ id: r.id, name: r.name, ok: r.ok, tags: r.tags ?? null, extra: r.extra ?? null })));
  });

  it('files records by time (path.format, partition.duration.ms, a RecordField timestamp) and by field', async () => {
    const hour = 3_600_000;
    const t0 = Date.UTC(2026, 11, 4, 21);
    const records = [
      { region: 'eu', at: t0 + 5 },
      { region: 'us', at: t0 + hour + 5 },
      { region: 'eu', at: t0 + hour + 10 },
    ];
    const topic = await topicWith(k, records.map((r) => JSON.stringify(r)));
    const byTime = await sinkUnderTest(k, {
      'connector.class': 'S3Sink',
      topics: topic,
      'flush.size': 3,
      'partitioner.class': 'io.confluent.connect.storage.partitioner.TimeBasedPartitioner',
      'path.format': "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH",
      'partition.duration.ms': hour,
      'timestamp.extractor': 'RecordField',
      'timestamp.field': 'at',
      timezone: 'UTC',
    });
    await byTime.deliver();
    expect(await byTime.keys()).toEqual([
      `topics/${topic}/year=2026/month=12/day=04/hour=21/${topic}+0+0000000000.json`,
      `topics/${topic}/year=2026/month=12/day=04/hour=22/${topic}+0+0000000001.json`,
    ]);
    const byField = await sinkUnderTest(k, { 'connector.class': 'S3Sink', topics: topic, 'flush.size': 3, 'partitioner.class': 'field', 'partition.field.name': 'region' });
    await byField.deliver();
    expect(await byField.keys()).toEqual([`topics/${topic}/region=eu/${topic}+0+0000000000.json`, `topics/${topic}/region=us/${topic}+0+0000000001.json`]);
    expect(jsonLines(await byField.object(`topics/${topic}/region=eu/${topic}+0+0000000000.json`))).toEqual([records[0], records[2]]);
  });
});

describe('S3 sink, errors.tolerance', () => {
  it('all: a value that is not JSON goes to the dead-letter topic with Connect\'s context headers, the others are written', async () => {
    const topic = await topicWith(k, ['{"n":0}', 'not json', '{"n":2}']);
    const sink = await sinkUnderTest(k, {
      'connector.class': 'S3Sink',
      topics: topic,
      'flush.size': 2,
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': `${topic}-dlt`,
      'errors.deadletterqueue.context.headers.enable': true,
    });
    await sink.deliver();
    expect(await allLines(sink)).toEqual([{ n: 0 }, { n: 2 }]);
    const dlt = await fetchRecords(k.transport, { topic: `${topic}-dlt`, partition: 0 }, 0, 100);
    if (dlt.kind !== 'records') throw new Error('dead-letter topic out of range');
    expect(dlt.records.map((r) => r.value?.toString())).toEqual(['not json']);
    const header = (name: string): string | undefined => dlt.records[0]!.headers.find((h) => h.key === name)?.value?.toString();
    expect(header(CONNECT_ERROR_HEADERS.offset)).toBe('1');
    expect(header(CONNECT_ERROR_HEADERS.stage)).toBe('VALUE_CONVERTER');
    expect(header(CONNECT_ERROR_HEADERS.connector)).toBe(sink.name);
    expect(await committedOffset(k.transport, `connect-${sink.name}`, { topic, partition: 0 })).toBe(3);
  });

  it('none: the task stops FAILED with the error\'s trace; the flushes before the record are written and committed, nothing after', async () => {
    const topic = await topicWith(k, ['{"n":0}', '{"n":1}', '{"n":2}', 'not json', '{"n":4}']);
    const sink = await sinkUnderTest(k, { 'connector.class': 'S3Sink', topics: topic, 'flush.size': 2 });
    expect((await sink.deliver()).status).toBe('caught-up');
    expect(await allLines(sink)).toEqual([{ n: 0 }, { n: 1 }]);
    expect(await committedOffset(k.transport, `connect-${sink.name}`, { topic, partition: 0 })).toBe(2);
    const state = await sink.store.read(sink.name, 1);
    expect(state.failures.get(0)?.trace).toContain('RecordConversionError');
    expect(state.failures.get(0)?.offset).toBe(3);
    // Failed stays failed: a new append writes nothing.
    await append(k, topic, ['{"n":5}']);
    await sink.deliver();
    expect(await sink.keys()).toHaveLength(1);
    expect(await sink.store.taskState(sink.name, 0)).toBe('FAILED');
  });
});
