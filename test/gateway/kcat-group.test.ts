/** kcat's balanced consumer (-G, librdkafka's classic group client) through the gateway: it joins, consumes, commits, and resumes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKcat } from '../support/kcat.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;

beforeAll(async () => {
  t = await createTestGateway();
  await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'kg', numPartitions: 2 }] });
});
afterAll(async () => t.close());

/** kcat -G: consumes `count` records, then closes (committing its positions) and exits. */
function consumeGroup(groupId: string, count: number): Promise<string[]> {
  const args = ['-G', groupId, 'kg', '-c', String(count), '-f', '%s\n', '-X', 'auto.offset.reset=earliest', '-X', 'session.timeout.ms=6000', '-q'];
  return runKcat(t.broker, args).then((out) => out.split('\n').filter((l) => l !== ''));
}

async function produce(values: string[]): Promise<void> {
  const producer = t.native.kafkaless.producer({ 'linger.ms': 0 });
  await producer.send({ topic: 'kg', messages: values.map((value, i) => ({ key: `k${i}`, value })) });
  await producer.disconnect();
}

describe('kcat -G through the gateway', () => {
  it('consumes as a group member, commits, and the next run resumes from the committed offsets', async () => {
    await produce(['a', 'b', 'c', 'd', 'e', 'f']);
    expect((await consumeGroup('g-kcat', 6)).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const committed = await t.native.kafkaless.admin().fetchOffsets({ groupId: 'g-kcat', topics: ['kg'] });
    expect(committed[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0)).toBe(6);
    const described = (await t.native.kafkaless.admin().describeGroups(['g-kcat'])).groups[0]!;
    expect(described).toMatchObject({ type: 'classic', protocolType: 'consumer', state: 'Empty' });

    await produce(['g', 'h']);
    expect((await consumeGroup('g-kcat', 2)).sort()).toEqual(['g', 'h']);
  });

  it('the admin tools work on the classic group: list, reset to earliest (read again from the start), delete', async () => {
    const admin = t.native.kafkaless.admin();
    expect((await admin.listGroups()).groups.find((g) => g.groupId === 'g-kcat')).toMatchObject({ protocolType: 'consumer', state: 'Empty', members: 0 });
    await admin.resetOffsets({ groupId: 'g-kcat', topic: 'kg', to: 'earliest' });
    expect((await consumeGroup('g-kcat', 8)).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    await admin.deleteGroups(['g-kcat']);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('g-kcat');
  });
});
