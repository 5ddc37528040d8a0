import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminHandler } from '../../lib/broker/admin/index.js';
import { createBrokerContext } from '../../lib/broker/context.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import * as helpers from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

const topicTableItems = () => helpers.topicTableItems(t);
const expectNoChange = (action: () => Promise<unknown>, code: string) => helpers.expectNoChange(t, action, code);

describe('topic administration', () => {
  it('creates, lists, describes, alters and deletes topics', async () => {
    const admin = t.kafkaless.admin();
    const [created] = await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '60000' }] }] });
    expect(created).toMatchObject({ topic: 'orders', numPartitions: 3 });
    expect(await admin.listTopics()).toContain('orders');
    const [described] = await admin.describeTopics({ topics: ['orders'] });
    expect(described!.partitions).toEqual([0, 1, 2].map((partition) => ({ partition, highWatermark: 0, logStartOffset: 0, bytes: 0 })));
    expect(described!.configs).toEqual({ 'retention.ms': '60000' });

    await admin.createPartitions({ topicPartitions: [{ topic: 'orders', count: 5 }] });
    await admin.alterConfigs({ topics: [{ topic: 'orders', configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'retention.ms', value: null }] }] });
    const [configs] = await admin.describeConfigs({ topics: ['orders'] });
    const entry = (name: string) => configs!.configEntries.find((e) => e.name === name);
    expect(entry('cleanup.policy')).toMatchObject({ value: 'compact', isDefault: false });
    expect(entry('retention.ms')).toMatchObject({ value: '604800000', isDefault: true });
    expect((await admin.describeTopics({ topics: ['orders'] }))[0]!.partitions).toHaveLength(5);

    await admin.deleteTopics({ topics: ['orders'] });
    expect(await admin.listTopics()).not.toContain('orders');
  });

  it('gives a topic created again under a deleted name a new topicId', async () => {
    const admin = t.kafkaless.admin();
    const [first] = await admin.createTopics({ topics: [{ topic: 'again' }] });
    await admin.deleteTopics({ topics: ['again'] });
    const [second] = await admin.createTopics({ topics: [{ topic: 'again' }] });
    expect(second!.topicId).not.toBe(first!.topicId);
  });

  it('warns about names with periods or underscores, as Kafka does', async () => {
    const [created] = await t.kafkaless.admin().createTopics({ topics: [{ topic: 'with.period' }] });
    expect(created!.warning).toMatch(/could collide/);
  });
});

describe('bad admin input changes nothing', () => {
  it('rejects invalid topic names with Kafka’s message', async () => {
    const admin = t.kafkaless.admin();
    await expectNoChange(() => admin.createTopics({ topics: [{ topic: 'foo bar' }] }), 'InvalidTopic');
    await expectNoChange(() => admin.createTopics({ topics: [{ topic: '..' }] }), 'InvalidTopic');
    await expectNoChange(() => admin.createTopics({ topics: [{ topic: '' }] }), 'InvalidTopic');
    await expectNoChange(() => admin.createTopics({ topics: [{ topic: 'a'.repeat(250) }] }), 'InvalidTopic');
  });

  it('rejects zero and negative partition counts', async () => {
    const admin = t.kafkaless.admin();
    await expectNoChange(() => admin.createTopics({ topics: [{ topic: 'zero', numPartitions: 0 }] }), 'InvalidPartitions');
    await expectNoChange(() => admin.createTopics({ topics: [{ topic: 'negative', numPartitions: -3 }] }), 'InvalidPartitions');
  });

  it('rejects unknown configs and bad values', async () => {
    const admin = t.kafkaless.admin();
    await expectNoChange(() => admin.createTopics({ topics: [{ topic: 'cfg', configEntries: [{ name: 'no.such.config', value: '1' }] }] }), 'InvalidConfig');
    await expectNoChange(() => admin.createTopics({ topics: [{ topic: 'cfg', configEntries: [{ name: 'retention.ms', value: 'soon' }] }] }), 'InvalidConfig');
    await expectNoChange(() => admin.createTopics({ topics: [{ topic: 'cfg', configEntries: [{ name: 'cleanup.policy', value: 'shred' }] }] }), 'InvalidConfig');
  });

  it('rejects a duplicate creation and a colliding name, creating nothing of the request', async () => {
    const admin = t.kafkaless.admin();
    await admin.createTopics({ topics: [{ topic: 'dup_name' }] });
    await expectNoChange(() => admin.createTopics({ topics: [{ topic: 'fresh-one' }, { topic: 'dup_name' }] }), 'TopicAlreadyExists');
    await expectNoChange(() => admin.createTopics({ topics: [{ topic: 'dup.name' }] }), 'InvalidTopic');
    expect(await admin.listTopics()).not.toContain('fresh-one');
  });

  it('rejects lowering the partition count and unknown topics', async () => {
    const admin = t.kafkaless.admin();
    await admin.createTopics({ topics: [{ topic: 'three', numPartitions: 3 }] });
    await expectNoChange(() => admin.createPartitions({ topicPartitions: [{ topic: 'three', count: 2 }] }), 'InvalidPartitions');
    await expectNoChange(() => admin.deleteTopics({ topics: ['missing-topic'] }), 'UnknownTopicOrPartition');
    await expectNoChange(() => admin.describeConfigs({ topics: ['missing-topic'] }), 'UnknownTopicOrPartition');
  });

  it('answers malformed events sent straight to the handler with InvalidRequest', async () => {
    const handler = createAdminHandler(
      createBrokerContext({ dynamodb: t.clients.dynamodb, s3: t.clients.s3, tables: t.tables, bucket: t.bucket }),
      () => undefined,
    );
    const before = await topicTableItems();
    for (const event of ['{not json', null, 42, { action: 'explode' }, { action: 'createTopics', topics: 'x' }, { action: 'createTopics', topics: [{ topic: 'a', numPartitions: 'two' }] }]) {
      const reply = await handler(event);
      expect(reply.ok).toBe(false);
      if (!reply.ok) expect(reply.error.code).toBe('InvalidRequest');
    }
    const named = await handler({ action: 'createTopics', topics: [{ topic: 'a', numPartitions: 'two' }] });
    expect(!named.ok && named.error.message).toContain('topics[0].numPartitions');
    expect(await topicTableItems()).toEqual(before);
  });
});
