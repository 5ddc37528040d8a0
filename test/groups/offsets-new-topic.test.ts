import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../lib/client/transport.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

describe('committing offsets', () => {
  it('accepts a topic created just after the coordinator listed topics (regression: a cached topic list refused it)', async () => {
    const admin = t.kafkaless.admin();
    await admin.createTopics({ topics: [{ topic: 'first' }] });
    await call(t.transport, 'group', { action: 'commitOffsets', groupId: 'g', offsets: [{ topic: 'first', partition: 0, offset: 0 }] });
    await admin.createTopics({ topics: [{ topic: 'second', numPartitions: 2 }] });
    await call(t.transport, 'group', { action: 'commitOffsets', groupId: 'g', offsets: [{ topic: 'second', partition: 1, offset: 0 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: 'second', count: 3 }] });
    await call(t.transport, 'group', { action: 'commitOffsets', groupId: 'g', offsets: [{ topic: 'second', partition: 2, offset: 0 }] });
    const offsets = await admin.fetchOffsets({ groupId: 'g', topics: ['second'] });
    expect(offsets).toEqual([
      {
        topic: 'second',
        partitions: [
          { partition: 0, offset: '-1', metadata: null },
          { partition: 1, offset: '0', metadata: '' },
          { partition: 2, offset: '0', metadata: '' },
        ],
      },
    ]);
    await expect(call(t.transport, 'group', { action: 'commitOffsets', groupId: 'g', offsets: [{ topic: 'second', partition: 9, offset: 0 }] })).rejects.toMatchObject({
      code: 'UnknownTopicOrPartition',
    });
  });
});
