import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import { TOPIC_CONFIG_NAMES, TOPIC_CONFIGS } from '../../lib/protocol/topic-config.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { produceBatch } from '../maintenance/helpers.js';
import { expectNoChange } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

const rejects = (action: () => Promise<unknown>, code: string) => expectNoChange(t, action, code);

/** Kafka's topic-level configs (LogConfig's TopicConfig keys, Kafka 3.x and 4.x). */
const KAFKA_TOPIC_CONFIGS = [
  'cleanup.policy', 'compression.gzip.level', 'compression.lz4.level', 'compression.type', 'compression.zstd.level',
  'delete.retention.ms', 'file.delete.delay.ms', 'flush.messages', 'flush.ms', 'follower.replication.throttled.replicas',
  'index.interval.bytes', 'leader.replication.throttled.replicas', 'local.retention.bytes', 'local.retention.ms',
  'max.compaction.lag.ms', 'max.message.bytes', 'message.downconversion.enable', 'message.format.version',
  'message.timestamp.after.max.ms', 'message.timestamp.before.max.ms', 'message.timestamp.difference.max.ms',
  'message.timestamp.type', 'min.cleanable.dirty.ratio', 'min.compaction.lag.ms', 'min.insync.replicas', 'preallocate',
  'remote.log.copy.disable', 'remote.log.delete.on.disable', 'remote.storage.enable', 'retention.bytes', 'retention.ms',
  'segment.bytes', 'segment.index.bytes', 'segment.jitter.ms', 'segment.ms', 'unclean.leader.election.enable',
];

/** A valid non-default value per key, as Terraform or kafka-configs.sh would set it. */
const SAMPLE: Record<string, string> = {
  'cleanup.policy': 'compact,delete', 'compression.gzip.level': '6', 'compression.lz4.level': '12', 'compression.type': 'zstd',
  'compression.zstd.level': '-5', 'delete.retention.ms': '1000', 'file.delete.delay.ms': '0', 'flush.messages': '1', 'flush.ms': '1000',
  'follower.replication.throttled.replicas': '0:1,1:2', 'index.interval.bytes': '8192', 'leader.replication.throttled.replicas': '*',
  'local.retention.bytes': '-2', 'local.retention.ms': '3600000', 'max.compaction.lag.ms': '9223372036854775807', 'max.message.bytes': '2000000',
  'message.downconversion.enable': 'false', 'message.format.version': '2.8', 'message.timestamp.after.max.ms': '60000',
  'message.timestamp.before.max.ms': '86400000', 'message.timestamp.difference.max.ms': '86400000', 'message.timestamp.type': 'LogAppendTime',
  'min.cleanable.dirty.ratio': '0.25', 'min.compaction.lag.ms': '5', 'min.insync.replicas': '2', preallocate: 'true',
  'remote.log.copy.disable': 'false', 'remote.log.delete.on.disable': 'false', 'remote.storage.enable': 'false', 'retention.bytes': '1073741824',
  'retention.ms': '-1', 'segment.bytes': '104857600', 'segment.index.bytes': '1048576', 'segment.jitter.ms': '100', 'segment.ms': '3600000',
  'unclean.leader.election.enable': 'TRUE',
};

/** A value of the wrong type or out of range per key. */
const BAD: Record<string, string> = {
  'cleanup.policy': 'shred', 'compression.gzip.level': '0', 'compression.lz4.level': '18', 'compression.type': 'brotli',
  'compression.zstd.level': '23', 'delete.retention.ms': '-1', 'file.delete.delay.ms': 'later', 'flush.messages': '0', 'flush.ms': '-1',
  'follower.replication.throttled.replicas': 'all', 'index.interval.bytes': '-1', 'leader.replication.throttled.replicas': '1-2',
  'local.retention.bytes': '-3', 'local.retention.ms': '1.5', 'max.compaction.lag.ms': '0', 'max.message.bytes': '2147483648',
  'message.downconversion.enable': 'yes', 'message.format.version': 'latest', 'message.timestamp.after.max.ms': '-1',
  'message.timestamp.before.max.ms': '9223372036854775808', 'message.timestamp.difference.max.ms': 'x', 'message.timestamp.type': 'Now',
  'min.cleanable.dirty.ratio': '1.5', 'min.compaction.lag.ms': '-1', 'min.insync.replicas': '0', preallocate: '1',
  'remote.log.copy.disable': 'on', 'remote.log.delete.on.disable': '', 'remote.storage.enable': 'maybe', 'retention.bytes': 'lots',
  'retention.ms': '-2', 'segment.bytes': '13', 'segment.index.bytes': '3', 'segment.jitter.ms': '-1', 'segment.ms': '0',
  'unclean.leader.election.enable': 'no',
};

describe('topic configs', () => {
  it('knows every topic config Kafka documents', () => {
    expect([...TOPIC_CONFIG_NAMES].sort()).toEqual([...KAFKA_TOPIC_CONFIGS].sort());
  });

  it('accepts a valid value of every key at creation and describes each with its source', async () => {
    const admin = t.kafkaless.admin();
    const configEntries = KAFKA_TOPIC_CONFIGS.map((name) => ({ name, value: SAMPLE[name]! }));
    await admin.createTopics({ topics: [{ topic: 'all-configs', configEntries }] });
    const [described] = await admin.describeConfigs({ topics: ['all-configs'] });
    expect(described!.configEntries.map((e) => e.name)).toEqual([...TOPIC_CONFIG_NAMES]);
    for (const entry of described!.configEntries) {
      expect(entry).toMatchObject({ value: SAMPLE[entry.name]!.trim(), source: 'DYNAMIC_TOPIC_CONFIG', isDefault: false, isSensitive: false, readOnly: false });
      expect(entry.defaultValue).toBe(TOPIC_CONFIGS[entry.name].defaultValue);
    }
    const noEffect = described!.configEntries.find((e) => e.name === 'min.insync.replicas')!;
    expect(noEffect.hasEffect).toBe(false);
    expect(noEffect.documentation).toMatch(/^Accepted without effect/);
  });

  it('describes unset keys with their default and DEFAULT_CONFIG', async () => {
    const admin = t.kafkaless.admin();
    await admin.createTopics({ topics: [{ topic: 'defaults-only' }] });
    const [described] = await admin.describeConfigs({ topics: ['defaults-only'] });
    for (const entry of described!.configEntries) {
      expect(entry).toMatchObject({ value: entry.defaultValue, source: 'DEFAULT_CONFIG', isDefault: true });
    }
    expect(described!.configEntries.find((e) => e.name === 'flush.ms')!.value).toBe('9223372036854775807');
  });

  it('rejects a bad value of every key with InvalidConfig naming the key, the value and what is allowed', async () => {
    const admin = t.kafkaless.admin();
    for (const name of KAFKA_TOPIC_CONFIGS) {
      const err = await rejects(() => admin.createTopics({ topics: [{ topic: 'bad-config', configEntries: [{ name, value: BAD[name]! }] }] }), 'InvalidConfig');
      expect(err.message).toContain(`Invalid value ${BAD[name]} for configuration ${name}`);
    }
    const err = await rejects(() => admin.createTopics({ topics: [{ topic: 'bad-config', configEntries: [{ name: 'segment.bytes', value: '13' }] }] }), 'InvalidConfig');
    expect(err.message).toMatch(/at least 14/);
    expect((await rejects(() => admin.createTopics({ topics: [{ topic: 'bad-config', configEntries: [{ name: 'retention.hours', value: '1' }] }] }), 'InvalidConfig')).message).toMatch(/Unknown topic config name: retention.hours/);
  });

  it('rejects min.compaction.lag.ms above max.compaction.lag.ms, as Kafka', async () => {
    const admin = t.kafkaless.admin();
    const configEntries = [{ name: 'min.compaction.lag.ms', value: '100' }, { name: 'max.compaction.lag.ms', value: '10' }];
    await rejects(() => admin.createTopics({ topics: [{ topic: 'lag-conflict', configEntries }] }), 'InvalidConfig');
  });

  it('accepts and describes a replication factor of -1 or more; 0 and below -1 are InvalidReplicationFactor', async () => {
    const admin = t.kafkaless.admin();
    const [created] = await admin.createTopics({ topics: [{ topic: 'replicated', replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }] });
    expect(created!.replicationFactor).toBe(3);
    expect((await admin.describeTopics({ topics: ['replicated'] }))[0]!.replicationFactor).toBe(3);
    await admin.createTopics({ topics: [{ topic: 'default-replicas', replicationFactor: -1 }] });
    expect((await admin.describeTopics({ topics: ['default-replicas'] }))[0]!.replicationFactor).toBe(-1);
    await rejects(() => admin.createTopics({ topics: [{ topic: 'no-replicas', replicationFactor: 0 }] }), 'InvalidReplicationFactor');
    await rejects(() => admin.createTopics({ topics: [{ topic: 'no-replicas', replicationFactor: -2 }] }), 'InvalidReplicationFactor');
  });
});

describe('incrementalAlterConfigs', () => {
  const entry = async (topic: string, name: string) => (await t.kafkaless.admin().describeConfigs({ topics: [topic] }))[0]!.configEntries.find((e) => e.name === name)!;

  it('sets, deletes, appends to and subtracts from configs', async () => {
    const admin = t.kafkaless.admin();
    await admin.createTopics({ topics: [{ topic: 'incremental', configEntries: [{ name: 'retention.ms', value: '60000' }] }] });
    await admin.incrementalAlterConfigs({
      topics: [{ topic: 'incremental', configEntries: [
        { name: 'cleanup.policy', operation: 'APPEND', value: 'compact' },
        { name: 'retention.ms', operation: 'DELETE' },
        { name: 'leader.replication.throttled.replicas', operation: 'APPEND', value: '0:1,1:1' },
        { name: 'max.message.bytes', operation: 'SET', value: '5000' },
      ] }],
    });
    expect(await entry('incremental', 'cleanup.policy')).toMatchObject({ value: 'delete,compact', source: 'DYNAMIC_TOPIC_CONFIG' });
    expect(await entry('incremental', 'retention.ms')).toMatchObject({ value: '604800000', source: 'DEFAULT_CONFIG', isDefault: true });
    expect((await entry('incremental', 'max.message.bytes')).value).toBe('5000');
    await admin.incrementalAlterConfigs({
      topics: [{ topic: 'incremental', configEntries: [
        { name: 'cleanup.policy', operation: 'SUBTRACT', value: 'delete' },
        { name: 'leader.replication.throttled.replicas', operation: 'SUBTRACT', value: '0:1' },
      ] }],
    });
    expect((await entry('incremental', 'cleanup.policy')).value).toBe('compact');
    expect((await entry('incremental', 'leader.replication.throttled.replicas')).value).toBe('1:1');
  });

  it('validates every operation of every topic before the one write', async () => {
    const admin = t.kafkaless.admin();
    await admin.createTopics({ topics: [{ topic: 'inc-a' }, { topic: 'inc-b' }] });
    const good = { topic: 'inc-a', configEntries: [{ name: 'retention.ms', operation: 'SET' as const, value: '1000' }] };
    await rejects(() => admin.incrementalAlterConfigs({ topics: [good, { topic: 'inc-b', configEntries: [{ name: 'retention.ms', operation: 'APPEND', value: '1' }] }] }), 'InvalidConfig');
    await rejects(() => admin.incrementalAlterConfigs({ topics: [good, { topic: 'inc-b', configEntries: [{ name: 'cleanup.policy', operation: 'SUBTRACT', value: 'delete' }] }] }), 'InvalidConfig');
    await rejects(() => admin.incrementalAlterConfigs({ topics: [good, { topic: 'inc-b', configEntries: [{ name: 'segment.ms', operation: 'SET', value: '0' }] }] }), 'InvalidConfig');
    await rejects(() => admin.incrementalAlterConfigs({ topics: [good, { topic: 'inc-b', configEntries: [{ name: 'segment.ms', operation: 'SET' }] }] }), 'InvalidRequest');
    await rejects(() => admin.incrementalAlterConfigs({ topics: [good, { topic: 'inc-b', configEntries: [{ name: 'segment.ms', operation: 'SET', value: '1' }, { name: 'segment.ms', operation: 'DELETE' }] }] }), 'InvalidRequest');
    await rejects(() => admin.incrementalAlterConfigs({ topics: [good, good] }), 'InvalidRequest');
    await rejects(() => admin.incrementalAlterConfigs({ topics: [good, { topic: 'inc-missing', configEntries: good.configEntries }] }), 'UnknownTopicOrPartition');
    await admin.incrementalAlterConfigs({ topics: [good, { topic: 'inc-b', configEntries: [{ name: 'min.insync.replicas', operation: 'SET', value: '2' }] }], validateOnly: true });
    expect((await entry('inc-a', 'retention.ms')).isDefault).toBe(true);
    await admin.incrementalAlterConfigs({ topics: [good, { topic: 'inc-b', configEntries: [{ name: 'min.insync.replicas', operation: 'SET', value: '2' }] }] });
    expect((await entry('inc-a', 'retention.ms')).value).toBe('1000');
    expect((await entry('inc-b', 'min.insync.replicas')).value).toBe('2');
  });
});

describe('concurrent config changes', () => {
  it('applies every one of concurrent APPENDs: a change that lost the race is replanned from a fresh read', async () => {
    const admin = t.kafkaless.admin();
    await admin.createTopics({ topics: [{ topic: 'raced' }] });
    const replicas = Array.from({ length: 5 }, (_, i) => `${i}:${i + 1}`);
    await Promise.all(
      replicas.map((value) =>
        t.another().admin().incrementalAlterConfigs({ topics: [{ topic: 'raced', configEntries: [{ name: 'follower.replication.throttled.replicas', operation: 'APPEND', value }] }] }),
      ),
    );
    const [described] = await admin.describeConfigs({ topics: ['raced'] });
    const value = described!.configEntries.find((e) => e.name === 'follower.replication.throttled.replicas')!.value;
    expect(value.split(',').sort()).toEqual([...replicas].sort());
  });
});

describe('timestamp limits', () => {
  it('refuses CreateTime records outside message.timestamp.before.max.ms and after.max.ms', async () => {
    const admin = t.kafkaless.admin();
    const configEntries = [{ name: 'message.timestamp.before.max.ms', value: '60000' }, { name: 'message.timestamp.after.max.ms', value: '1000' }];
    await admin.createTopics({ topics: [{ topic: 'stamped', configEntries }, { topic: 'appended', configEntries: [...configEntries, { name: 'message.timestamp.type', value: 'LogAppendTime' }] }] });
    const at = (timestamp: number) => [{ key: null, value: 'v', timestamp }];
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e as KafkalessError).code);
    expect(await code(produceBatch(t.transport, 'stamped', 0, at(Date.now() - 120_000)))).toBe('InvalidTimestamp');
    expect(await code(produceBatch(t.transport, 'stamped', 0, at(Date.now() + 60_000)))).toBe('InvalidTimestamp');
    expect(await code(produceBatch(t.transport, 'stamped', 0, at(Date.now() - 1000)))).toBe('ok');
    expect(await code(produceBatch(t.transport, 'appended', 0, at(Date.now() - 120_000)))).toBe('ok');
    expect((await admin.fetchTopicOffsets('stamped'))[0]!.high).toBe('1');
  });
});
