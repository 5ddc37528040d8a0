/**
 * The S3 source over DynamoDB Local and the S3 server: objects under a
 * prefix become records keyed by the object's key (lines of text, JSON
 * lines, whole objects), each object once across notifications handed
 * again and across a crash mid-object (its progress is a source offset);
 * objects refused while paused are read by the scan resume sends.
 */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeOptions, Transport } from '../../lib/client/transport.js';
import { ConnectorAdmin } from '../../lib/connect/connector-admin.js';
import { parseConnectorConfig, type RawConnectorConfig, type S3SourceConfig } from '../../lib/connect/config/connector-config.js';
import { handleSourceEvent, type S3SourceDeps } from '../../lib/connect/s3-source/s3-source.js';
import { KafkalessError } from '../../lib/errors.js';
import type { FunctionRole } from '../../lib/names.js';
import { ConnectorStore } from '../../lib/storage/connector-store.js';
import { fetchRecords } from '../../lib/triggers/partition-log.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { createTestBucket } from '../support/services.js';

let k: TestKafkaless;

beforeAll(async () => {
  k = await createTestKafkaless();
});

afterAll(async () => {
  await k?.close();
});

/** The broker as a function that dies at its n-th produce request: that one and every call after it fail. */
class DyingProducer implements Transport {
  private produces = 0;
  private dead = false;
  constructor(private readonly inner: Transport, private readonly dieAt: number) {}
  async invoke(role: FunctionRole, request: object, options?: InvokeOptions): Promise<unknown> {
    if (role === 'produce' && (request as { action?: string }).action === 'produce' && ++this.produces === this.dieAt) this.dead = true;
    if (this.dead) throw new KafkalessError('UnknownServerError', 'the source function died');
    return this.inner.invoke(role, request, options);
  }
  async close(): Promise<void> {}
}

async function source(extra: RawConnectorConfig = {}) {
  const bucket = await createTestBucket();
  const topic = `objects-${randomUUID().slice(0, 8)}`;
  await k.kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 1 }] });
  const name = `src-${randomUUID().slice(0, 8)}`;
  const config = parseConnectorConfig({ name, 'connector.class': 'S3Source', topic, 's3.bucket.name': bucket, 's3.prefix': 'in/', ...extra }) as S3SourceConfig;
  const store = new ConnectorStore(k.clients.dynamodb, k.tables.partitions);
  const deps = (broker: Transport = k.transport): S3SourceDeps => ({ s3: k.clients.s3, broker, store, now: Date.now, log: () => undefined });
  const put = (key: string, body: string) => k.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  const notify = (...keys: string[]) => ({ Records: keys.map((key) => ({ eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+') } } })) });
  const records = async (): Promise<string[]> => {
    const fetched = await fetchRecords(k.transport, { topic, partition: 0 }, 0, 10_000);
    if (fetched.kind !== 'records') throw new Error('out of range');
    return fetched.records.map((r) => `${r.key?.toString()}: ${r.value?.toString()}`);
  };
  return { config, store, deps, put, notify, records, name };
}

describe('S3 source', () => {
  it('turns lines into records keyed by the object, each object once however often it is notified', async () => {
    const s = await source();
    await s.put('in/a b.txt', 'one\ntwo\r\nthree');
    await s.put('other/x.txt', 'not under the prefix');
    expect(await handleSourceEvent(s.deps(), s.config, s.notify('in/a b.txt', 'other/x.txt'))).toEqual({ objects: 1, skipped: 0, records: 3 });
    expect(await handleSourceEvent(s.deps(), s.config, s.notify('in/a b.txt'))).toEqual({ objects: 0, skipped: 1, records: 0 });
    expect(await handleSourceEvent(s.deps(), s.config, { kafkaless: { scan: true } })).toEqual({ objects: 0, skipped: 1, records: 0 });
    expect(await s.records()).toEqual(['in/a b.txt: one', 'in/a b.txt: two', 'in/a b.txt: three']);
  });

  it('resumes an object from its source offset after a crash mid-object: every line once', async () => {
    const s = await source();
    const lines = Array.from({ length: 1200 }, (_, i) => `line ${i}`);
    await s.put('in/big.txt', lines.join('\n') + '\n');
    // 500 lines per produce call: the second call fails, the first was acknowledged and its offset written.
    await expect(handleSourceEvent(s.deps(new DyingProducer(k.transport, 2)), s.config, s.notify('in/big.txt'))).rejects.toThrow('the source function died');
    expect(await s.records()).toHaveLength(500);
    await handleSourceEvent(s.deps(), s.config, s.notify('in/big.txt'));
    expect(await s.records()).toEqual(lines.map((l) => `in/big.txt: ${l}`));
  });

  it('reads whole objects, and JSON lines: with errors.tolerance=none a line that is not JSON fails the task, with all it is skipped', async () => {
    const whole = await source({ 'format.class': 'io.confluent.connect.s3.format.bytearray.ByteArrayFormat' });
    await whole.put('in/blob', 'a\nb');
    await handleSourceEvent(whole.deps(), whole.config, whole.notify('in/blob'));
    expect(await whole.records()).toEqual(['in/blob: a\nb']);

    const strict = await source({ 'format.class': 'json' });
    await strict.put('in/x.jsonl', '{"a":1}\nnope\n');
    await expect(handleSourceEvent(strict.deps(), strict.config, strict.notify('in/x.jsonl'))).rejects.toThrow(/line 2 is not JSON/);
    expect(await strict.store.taskState(strict.name, 0)).toBe('FAILED');
    expect(await strict.records()).toEqual([]);

    const lenient = await source({ 'format.class': 'json', 'errors.tolerance': 'all' });
    await lenient.put('in/x.jsonl', '{"a":1}\nnope\n\n{"a":3}\n');
    await handleSourceEvent(lenient.deps(), lenient.config, lenient.notify('in/x.jsonl'));
    expect(await lenient.records()).toEqual(['in/x.jsonl: {"a":1}', 'in/x.jsonl: {"a":3}']);
  });

  it('refuses objects while paused; resume scans the prefix and reads them', async () => {
    const s = await source();
    const declared = [{ name: s.name, connectorClass: 'S3Source', topics: [s.config.topic], tasksMax: 1, groupId: `connect-${s.name}`, functionName: 'source-fn' }];
    const admin = new ConnectorAdmin(
      { store: s.store, admin: k.kafkaless.admin(), wake: async () => undefined, invokeConnector: async (_fn, event) => void (await handleSourceEvent(s.deps(), s.config, event)), now: Date.now },
      declared,
    );
    await admin.pause(s.name);
    await s.put('in/1.txt', 'x');
    await expect(handleSourceEvent(s.deps(), s.config, s.notify('in/1.txt'))).rejects.toThrow(/PAUSED/);
    expect(await s.records()).toEqual([]);
    await admin.resume(s.name);
    expect(await s.records()).toEqual(['in/1.txt: x']);
  });
});
