/**
 * A member's commit is one conditional update of its own item, however many
 * partitions it names; when a partition leaves the member (it released it,
 * left or expired) its offset is copied to the group's offsets item of the
 * topic, so the next owner and every reader find it, and the member's entry
 * goes only in a later step.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedOffsetsOf } from '../../lib/client/admin-groups.js';
import type { HeartbeatReply } from '../../lib/protocol/group-replies.js';
import { documentClient } from '../../lib/storage/document-client.js';
import { beatAfter, countCommands, createGroupTestbed, expectCode, joinGroup, tps, type CommandCounter, type GroupTestbed } from './coordinator-helpers.js';

let g: GroupTestbed;
const SESSION_MS = 30_000;
let counter: CommandCounter;

beforeAll(async () => {
  g = await createGroupTestbed();
  counter = countCommands(g);
});
afterAll(async () => g?.t.close());

const admin = () => g.t.kafkaless.admin();
const join = (groupId: string, memberId: string, topic: string) => joinGroup(g, groupId, memberId, topic, SESSION_MS);
const beat = (groupId: string, last: HeartbeatReply) => beatAfter(g, groupId, last);
const item = async (groupId: string, sk: string) =>
  (await documentClient(g.t.clients.dynamodb).send(new GetCommand({ TableName: g.t.tables.groups, Key: { pk: groupId, sk }, ConsistentRead: true }))).Item;
const committed = async (groupId: string) => committedOffsetsOf(await admin().fetchOffsets({ groupId })).map((o) => o.offset);

describe('member offset commits', () => {
  it('are one write to the member item, and are copied to the topic offsets item when the partition moves', async () => {
    await admin().createTopics({ topics: [{ topic: 'mo-t', numPartitions: 4 }] });
    let a = await join('mo-g', 'a', 'mo-t');
    a = await beat('mo-g', a);
    expect(a.assignment).toEqual(tps('mo-t', [0, 1, 2, 3]));
    const { commands } = await counter.counted(() =>
      g.commit({ groupId: 'mo-g', memberId: 'a', memberEpoch: a.memberEpoch, offsets: [0, 1, 2, 3].map((p) => ({ topic: 'mo-t', partition: p, offset: 10 + p })) }),
    );
    expect(commands).toEqual(['UpdateItem']);
    expect(await item('mo-g', 'offsets#mo-t')).toBeUndefined();
    expect(await committed('mo-g')).toEqual([10, 11, 12, 13]);

    // b joins: a releases two partitions; their offsets are copied to the topic's item, and b's commits go to b's item.
    let b = await join('mo-g', 'b', 'mo-t');
    for (let i = 0; i < 3; i++) [a, b] = [await beat('mo-g', a), await beat('mo-g', b)];
    expect(a.assignment).toHaveLength(2);
    expect(b.assignment).toHaveLength(2);
    const moved = await item('mo-g', 'offsets#mo-t');
    expect(Object.keys(moved!).filter((k) => /^p\d+$/.test(k)).sort()).toEqual(b.assignment.map((tp) => `p${tp.partition}`).sort());
    expect(await committed('mo-g')).toEqual([10, 11, 12, 13]);
    await g.commit({ groupId: 'mo-g', memberId: 'b', memberEpoch: b.memberEpoch, offsets: b.assignment.map((tp) => ({ ...tp, offset: 100 })) });
    expect((await committed('mo-g')).filter((o) => o === 100)).toHaveLength(2);

    // A partition it no longer owns: refused, nothing written.
    await expectCode(() => g.commit({ groupId: 'mo-g', memberId: 'a', memberEpoch: a.memberEpoch, offsets: [{ ...b.assignment[0]!, offset: 5 }] }), 'StaleMemberEpoch');

    // b leaves: its offsets are copied to the topic's item (its item, departed, holds them until a's next group step deletes it), and a gets its partitions with them.
    await g.heartbeat({ groupId: 'mo-g', memberId: 'b', memberEpoch: -1 });
    for (let i = 0; i < 2; i++) a = await beat('mo-g', a);
    expect(a.assignment).toEqual(tps('mo-t', [0, 1, 2, 3]));
    expect((await committed('mo-g')).filter((o) => o === 100)).toHaveLength(2);
    expect(await item('mo-g', 'member#b')).toBeUndefined();

    // a expires: everything is in the topic's item.
    g.clock.advance(SESSION_MS + 1);
    const [described] = (await admin().describeGroups(['mo-g'])).groups;
    expect(described!.members).toEqual([]);
    await admin().setOffsets({ groupId: 'mo-g', topic: 'mo-t', partitions: [{ partition: 0, offset: '1' }] });
    // a's item is now a departed member's, holding what it still had (copied to the topic's item too); the next step removes it.
    const departed = await item('mo-g', 'member#a');
    expect(departed?.departed).toBe(true);
    expect(departed?.owned).toBeUndefined();
    const offsets = await committed('mo-g');
    expect(offsets[0]).toBe(1);
    expect(offsets.slice(1).every((o) => o >= 11)).toBe(true);
  });
});
