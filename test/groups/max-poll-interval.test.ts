/** max.poll.interval.ms: a member whose callback does not return leaves the group, its partitions move on, and it rejoins when it polls again. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupConsumer } from '../../lib/client/consumer/group-consumer.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { waitFor } from './wait-for.js';
import { committedOffsetsOf } from '../../lib/client/admin-groups.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

describe('max.poll.interval.ms', () => {
  it('makes a member stuck in eachMessage leave, hands its partition to the live member, and rejoins it once it returns', async () => {
    const topic = 'stuck';
    const groupId = 'stuck-group';
    await t.kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const member = (): GroupConsumer =>
      t.kafkaless.consumer({ 'group.id': groupId, 'max.poll.interval.ms': 1_500, 'session.timeout.ms': 30_000, 'auto.commit.interval.ms': 0, 'fetch.max.wait.ms': 50, 'auto.offset.reset': 'earliest' });
    const stuck = member();
    const live = member();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stuckSaw: string[] = [];
    const liveSaw: string[] = [];
    const lost: number[] = [];
    stuck.subscribe({ topic, listener: { onPartitionsLost: (tps) => void lost.push(...tps.map((tp) => tp.partition)) } });
    live.subscribe({ topic });
    await stuck.run({
      eachMessage: async ({ partition, message }) => {
        stuckSaw.push(`${partition}:${message.offset}`);
        await gate;
      },
    });
    await live.run({ eachMessage: async ({ partition, message }) => void liveSaw.push(`${partition}:${message.offset}`) });
    try {
      await waitFor(() => stuck.assignment().length === 1 && live.assignment().length === 1, 'one partition each', 30_000);
      const stuckPartition = stuck.assignment()[0]!.partition;
      const producer = t.kafkaless.producer({ 'linger.ms': 0 });
      await producer.send({ topic, messages: [0, 1].map((partition) => ({ value: `p${partition}`, partition })) });
      await producer.disconnect();

      await waitFor(() => liveSaw.includes(`${stuckPartition}:0`), "the live member to take over the stuck member's record", 30_000);
      expect(stuckSaw).toEqual([`${stuckPartition}:0`]);
      expect(stuck.assignment()).toEqual([]);
      const [during] = (await t.kafkaless.admin().describeGroups([groupId])).groups;
      expect(during!.members.map((m) => m.memberId)).toEqual([live.memberId]);

      release();
      await waitFor(() => stuck.assignment().length === 1 && live.assignment().length === 1, 'the stuck member to rejoin and get a partition back', 30_000);
      expect(lost).toEqual([stuckPartition]);
      const [after] = (await t.kafkaless.admin().describeGroups([groupId])).groups;
      expect(after!.members).toHaveLength(2);
    } finally {
      release();
      await stuck.disconnect();
      await live.disconnect();
    }
    expect(committedOffsetsOf(await t.kafkaless.admin().fetchOffsets({ groupId })).map((o) => o.offset)).toEqual([1, 1]);
  });
});
