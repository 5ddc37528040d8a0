import { afterAll, beforeAll, expect, it } from 'vitest';
import { createGroupTestbed, tps, type GroupTestbed } from './coordinator-helpers.js';

let g: GroupTestbed;
beforeAll(async () => {
  g = await createGroupTestbed();
  await g.t.kafkaless.admin().createTopics({ topics: [{ topic: 'smoke', numPartitions: 4 }] });
});
afterAll(async () => g?.t.close());

it('joins, commits, and hands partitions over', async () => {
  const a = await g.heartbeat({ groupId: 'g', memberId: 'a', memberEpoch: 0, subscribedTopics: ['smoke'] });
  expect(a.assignment).toEqual(tps('smoke', [0, 1, 2, 3]));
  expect(await g.commit({ groupId: 'g', memberId: 'a', memberEpoch: a.memberEpoch, offsets: [{ topic: 'smoke', partition: 0, offset: 5 }] })).toEqual({
    offsets: [{ topic: 'smoke', partition: 0, offset: 5, applied: true }],
  });
  const b = await g.heartbeat({ groupId: 'g', memberId: 'b', memberEpoch: 0, subscribedTopics: ['smoke'] });
  expect(b.assignment).toEqual([]);
  const a2 = await g.heartbeat({ groupId: 'g', memberId: 'a', memberEpoch: a.memberEpoch, ownedPartitions: a.assignment });
  console.log(a2, b);
  const a3 = await g.heartbeat({ groupId: 'g', memberId: 'a', memberEpoch: a2.memberEpoch, ownedPartitions: a2.assignment });
  const b2 = await g.heartbeat({ groupId: 'g', memberId: 'b', memberEpoch: b.memberEpoch, ownedPartitions: [] });
  console.log(a3, b2);
  console.log(JSON.stringify(await g.t.kafkaless.admin().describeGroups(['g']), null, 1));
});
