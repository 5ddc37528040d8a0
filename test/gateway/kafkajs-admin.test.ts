/** kafkajs 2.2.4's admin through the gateway: configs, partitions, record deletion, the cluster; the results seen natively too. */
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../lib/limits.js';
import { TOPIC_CONFIG_NAMES, TOPIC_CONFIGS } from '../../lib/protocol/topic-config.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
let kafka: Kafka;
let admin: ReturnType<Kafka['admin']>;

beforeAll(async () => {
  t = await createTestGateway();
  kafka = new Kafka({ clientId: 'gateway-admin-test', brokers: [t.broker], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
  await t.close();
});

const nativeConfigs = async (topic: string) =>
  Object.fromEntries((await t.native.kafkaless.admin().describeConfigs({ topics: [topic] }))[0]!.configEntries.filter((e) => !e.isDefault).map((e) => [e.name, e.value]));

async function produce(topic: string, partition: number, values: string[]) {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const [sent] = await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value, partition })) });
  await producer.disconnect();
  return sent!;
}

describe('kafkajs admin through the gateway', () => {
  it('describes a topic\'s configs: every key, its value and where it comes from', async () => {
    await admin.createTopics({ topics: [{ topic: 'described', configEntries: [{ name: 'retention.ms', value: '3600000' }] }] });
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'described' }] });
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({ errorCode: 0, resourceName: 'described', resourceType: ConfigResourceTypes.TOPIC });
    const entries = resources[0]!.configEntries;
    expect(entries.map((e) => e.configName).sort()).toEqual([...TOPIC_CONFIG_NAMES].sort());
    expect(entries.find((e) => e.configName === 'retention.ms')).toMatchObject({ configValue: '3600000', isDefault: false, configSource: 1, readOnly: false, isSensitive: false });
    expect(entries.find((e) => e.configName === 'max.message.bytes')).toMatchObject({ configValue: String(DEFAULT_MAX_MESSAGE_BYTES), isDefault: true, configSource: 5 });

    const some = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'described', configNames: ['retention.ms', 'cleanup.policy', 'no.such.key'] }] });
    const byName = Object.fromEntries(some.resources[0]!.configEntries.map((e) => [e.configName, e]));
    expect(Object.keys(byName).sort()).toEqual(['cleanup.policy', 'retention.ms']);
    expect(byName['retention.ms']!.configSynonyms).toEqual([
      { configName: 'retention.ms', configValue: '3600000', configSource: 1 },
      { configName: 'log.retention.ms', configValue: TOPIC_CONFIGS['retention.ms'].defaultValue, configSource: 5 },
    ]);
  });

  it('describes the broker read-only, with the broker\'s own defaults', async () => {
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '0' }] });
    expect(resources[0]!.errorCode).toBe(0);
    const byName = Object.fromEntries(resources[0]!.configEntries.map((e) => [e.configName, e]));
    expect(byName['auto.create.topics.enable']).toMatchObject({ configValue: 'false', readOnly: true, isDefault: false });
    expect(byName['log.retention.ms']).toMatchObject({ configValue: TOPIC_CONFIGS['retention.ms'].defaultValue, readOnly: true, configSource: 5 });
    expect(byName['message.max.bytes']!.configValue).toBe(String(DEFAULT_MAX_MESSAGE_BYTES));
    expect(byName['num.partitions']!.configValue).toBe('1');
    expect(byName['default.replication.factor']!.configValue).toBe('1');
    expect(byName['broker.id']!.configValue).toBe('0');
    expect(resources[0]!.configEntries.every((e) => e.readOnly)).toBe(true);
  });

  it('alterConfigs replaces a topic\'s whole config, as Kafka does; validateOnly changes nothing', async () => {
    await admin.createTopics({ topics: [{ topic: 'altered', configEntries: [{ name: 'retention.ms', value: '1000' }, { name: 'cleanup.policy', value: 'compact' }] }] });
    await admin.alterConfigs({ validateOnly: true, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'altered', configEntries: [{ name: 'segment.ms', value: '60000' }] }] });
    expect(await nativeConfigs('altered')).toEqual({ 'retention.ms': '1000', 'cleanup.policy': 'compact' });
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'altered', configEntries: [{ name: 'segment.ms', value: '60000' }, { name: 'retention.ms', value: '2000' }] }] });
    expect(await nativeConfigs('altered')).toEqual({ 'retention.ms': '2000', 'segment.ms': '60000' });
    await expect(
      admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'altered', configEntries: [{ name: 'retention.ms', value: 'soon' }] }] }),
    ).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
    await expect(
      admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '0', configEntries: [{ name: 'log.retention.ms', value: '1' }] }] }),
    ).rejects.toMatchObject({ type: 'INVALID_REQUEST' });
    expect(await nativeConfigs('altered')).toEqual({ 'retention.ms': '2000', 'segment.ms': '60000' });
  });

  it('createPartitions adds partitions that Metadata shows and a producer writes to', async () => {
    await admin.createTopics({ topics: [{ topic: 'grown', numPartitions: 1 }] });
    await admin.createPartitions({ validateOnly: true, topicPartitions: [{ topic: 'grown', count: 5 }] });
    expect((await admin.fetchTopicMetadata({ topics: ['grown'] })).topics[0]!.partitions).toHaveLength(1);
    await admin.createPartitions({ topicPartitions: [{ topic: 'grown', count: 3 }] });
    expect((await t.native.kafkaless.admin().describeTopics({ topics: ['grown'] }))[0]!.partitions).toHaveLength(3);
    // Metadata reads through the broker's topic cache, so it may show the old count until the cached record expires.
    let partitions: number[] = [];
    while (partitions.length !== 3) {
      partitions = (await admin.fetchTopicMetadata({ topics: ['grown'] })).topics[0]!.partitions.map((p) => p.partitionId).sort();
      if (partitions.length !== 3) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(partitions).toEqual([0, 1, 2]);
    expect(await produce('grown', 2, ['on the new partition'])).toMatchObject({ partition: 2, errorCode: 0, baseOffset: '0' });
    await expect(admin.createPartitions({ topicPartitions: [{ topic: 'grown', count: 2 }] })).rejects.toMatchObject({ type: 'INVALID_PARTITIONS' });
    await expect(admin.createPartitions({ topicPartitions: [{ topic: 'grown-missing', count: 2 }] })).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it('deleteTopicRecords moves the log start: earliest moves, and a fetch from before it is out of range', async () => {
    await admin.createTopics({ topics: [{ topic: 'trimmed', numPartitions: 1 }] });
    await produce('trimmed', 0, ['r0', 'r1', 'r2', 'r3', 'r4']);
    // kafkajs finds the partitions' leader in the metadata it holds, so it must have looked the topic up first.
    expect(await admin.fetchTopicOffsets('trimmed')).toEqual([expect.objectContaining({ partition: 0, low: '0', high: '5' })]);
    await admin.deleteTopicRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: '3' }] });
    expect(await admin.fetchTopicOffsets('trimmed')).toEqual([expect.objectContaining({ partition: 0, low: '3', high: '5' })]);
    expect(await t.native.kafkaless.admin().fetchTopicOffsets('trimmed')).toEqual([expect.objectContaining({ partition: 0, low: '3', high: '5' })]);
    await admin.deleteTopicRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: '-1' }] });
    expect(await admin.fetchTopicOffsets('trimmed')).toEqual([expect.objectContaining({ partition: 0, low: '5', high: '5' })]);
  });

  it('describeCluster: the gateway is the only broker and the controller, with the stack\'s cluster id', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster).toEqual({ brokers: [{ nodeId: 0, host: t.gateway.host, port: t.gateway.port }], controller: 0, clusterId: (await t.native.kafkaless.admin().describeCluster()).clusterId });
  });
});
