/**
 * `kafkaless groups` and `kafkaless transactions` as a user runs them: the
 * CLI as a child process against a local stack, checked against what the
 * admin client reads back. The stack serves its Kafka gateway as
 * `npm start -- --kafka-users FILE` does: only clients that authenticate, and
 * a kafkajs group committing through it shows in `kafkaless groups describe`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedOffsetsOf } from '../../lib/client/admin-groups.js';
import { call } from '../../lib/client/transport.js';
import { findFreePort } from '../../lib/local/free-port.js';
import { runKcat } from '../support/kcat.js';
import { startCliStack, type CliStack } from '../support/local-cli.js';
import { testUserCredentials } from '../support/sasl-users.js';

let s: CliStack;
let broker: string;
beforeAll(async () => {
  const port = await findFreePort();
  s = await startCliStack({ kafkaPort: port, kafkaUsers: testUserCredentials({ alice: 'alice-secret' }) });
  broker = `127.0.0.1:${port}`;
}, 300_000);
afterAll(async () => s?.close());

const admin = () => s.kafkaless.admin();
const offsets = async (groupId: string) => committedOffsetsOf(await admin().fetchOffsets({ groupId })).map((o) => `${o.partition}:${o.offset}`);
const lines = (text: string) => text.trim().split('\n');
const columns = (line: string) => line.trim().split(/\s{2,}/);

async function ok(args: string[]): Promise<string> {
  const r = await s.cli(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

describe('kafkaless groups', () => {
  const hourAgo = Date.now() - 3_600_000;

  beforeAll(async () => {
    await admin().createTopics({ topics: [{ topic: 'cli-t', numPartitions: 2 }] });
    const producer = s.kafkaless.producer({ 'linger.ms': 0 });
    // Partition 1: seven records three hours old, then three from five minutes ago.
    const messages = Array.from({ length: 10 }, (_, i) => ({ value: `v${i}`, timestamp: i < 7 ? hourAgo - 2 * 3_600_000 : Date.now() - 300_000 }));
    await producer.send({ topic: 'cli-t', messages: messages.map((m) => ({ ...m, partition: 0 })) });
    await producer.send({ topic: 'cli-t', messages: messages.map((m) => ({ ...m, partition: 1 })) });
    await producer.disconnect();
    await admin().setOffsets({ groupId: 'cli-g', topic: 'cli-t', partitions: [{ partition: 0, offset: 8 }, { partition: 1, offset: 6 }] });
  }, 120_000);

  it('resets by shift, duration, to current with --export, and from that file', async () => {
    const dry = await ok(['groups', 'reset-offsets', 'cli-g', '--topic', 'cli-t:0', '--shift-by', '-3']);
    expect(columns(lines(dry)[0]!)).toEqual(['GROUP', 'TOPIC', 'PARTITION', 'PREVIOUS-OFFSET', 'NEW-OFFSET']);
    expect(columns(lines(dry)[1]!)).toEqual(['cli-g', 'cli-t', '0', '8', '5']);
    expect(dry).toContain('dry run');
    expect(await offsets('cli-g')).toEqual(['0:8', '1:6']);

    await ok(['groups', 'reset-offsets', 'cli-g', '--topic', 'cli-t:0', '--shift-by', '-3', '--execute']);
    await ok(['groups', 'reset-offsets', 'cli-g', '--topic', 'cli-t', '--partitions', '1', '--by-duration', 'PT1H', '--execute']);
    expect(await offsets('cli-g')).toEqual(['0:5', '1:7']);

    const exported = await ok(['groups', 'reset-offsets', 'cli-g', '--all-topics', '--to-current', '--export']);
    expect(exported).toBe('cli-t,0,5\ncli-t,1,7\n');
    const file = join(s.root, 'offsets.csv');
    writeFileSync(file, exported);
    await ok(['groups', 'reset-offsets', 'cli-g', '--all-topics', '--to-earliest', '--execute']);
    expect(await offsets('cli-g')).toEqual(['0:0', '1:0']);
    const planned = await ok(['groups', 'reset-offsets', 'cli-g', '--from-file', file]);
    expect(lines(planned).slice(1, 3).map(columns)).toEqual([
      ['cli-g', 'cli-t', '0', '0', '5'],
      ['cli-g', 'cli-t', '1', '0', '7'],
    ]);
    await ok(['groups', 'reset-offsets', 'cli-g', '--from-file', file, '--execute']);
    expect(await offsets('cli-g')).toEqual(['0:5', '1:7']);
  });

  it("describes a group's state and members in kafka-consumer-groups' columns, and deletes offsets of unsubscribed topics", async () => {
    const state = await ok(['groups', 'describe', 'cli-g', '--state']);
    expect(lines(state).map(columns)).toEqual([
      ['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS'],
      ['cli-g', 'kafkaless (0)', 'cooperative-sticky', 'Empty', '0'],
    ]);
    const member = await call<{ memberId: string }>(s.kafkaless.transport, 'group', {
      action: 'heartbeat',
      groupId: 'cli-g',
      memberId: '',
      memberEpoch: 0,
      subscribedTopics: ['cli-t'],
      sessionTimeoutMs: 120_000,
      clientId: 'cli-client',
      clientHost: '/127.0.0.1',
    });
    const members = await ok(['groups', 'describe', 'cli-g', '--members']);
    expect(lines(members).map(columns)).toEqual([
      ['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS'],
      ['cli-g', member.memberId, '/127.0.0.1', 'cli-client', '2'],
    ]);
    const verbose = await ok(['groups', 'describe', 'cli-g', '--members', '--verbose']);
    expect(columns(lines(verbose)[0]!)).toEqual(['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS', 'EPOCH', 'ASSIGNMENT', 'TARGET-ASSIGNMENT']);
    expect(columns(lines(verbose)[1]!).slice(-2)).toEqual(['cli-t(0,1)', 'cli-t(0,1)']);
    const view = await ok(['groups', 'describe', 'cli-g']);
    expect(columns(lines(view)[2]!)).toEqual(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']);
    expect(columns(lines(view)[3]!)).toEqual(['cli-g', 'cli-t', '0', '5', '10', '5', member.memberId, '/127.0.0.1', 'cli-client']);

    const refused = await s.cli(['groups', 'delete-offsets', 'cli-g', '--topic', 'cli-t']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('GroupSubscribedToTopic');
    const busy = await s.cli(['groups', 'reset-offsets', 'cli-g', '--all-topics', '--to-latest', '--execute']);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('NonEmptyGroup');
    expect(await offsets('cli-g')).toEqual(['0:5', '1:7']);

    await admin().setOffsets({ groupId: 'cli-g2', topic: 'cli-t', partitions: [{ partition: 0, offset: 1 }, { partition: 1, offset: 2 }] });
    const deleted = await ok(['groups', 'delete-offsets', 'cli-g2', '--topic', 'cli-t:1']);
    expect(lines(deleted).map(columns)).toEqual([
      ['TOPIC', 'PARTITION', 'STATUS'],
      ['cli-t', '1', 'Successful'],
    ]);
    expect(await offsets('cli-g2')).toEqual(['0:1']);
  });

  it('answers malformed options with a usage error (exit 2) and changes nothing', async () => {
    for (const args of [
      ['--shift-by', 'x', '--topic', 'cli-t'],
      ['--by-duration', '1 hour', '--topic', 'cli-t'],
      ['--to-earliest', '--to-latest', '--topic', 'cli-t'],
      ['--to-earliest'],
      ['--to-earliest', '--topic', 'cli-t:a'],
    ]) {
      const r = await s.cli(['groups', 'reset-offsets', 'cli-g2', ...args, '--execute']);
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect(await offsets('cli-g2')).toEqual(['0:1']);
  });
});

describe('kafkaless transactions', () => {
  it("lists, describes and shows a partition's producers as kafka-transactions does", async () => {
    await admin().createTopics({ topics: [{ topic: 'cli-txn', numPartitions: 1 }] });
    const producer = s.kafkaless.producer({ 'transactional.id': 'cli-tx', 'linger.ms': 0 });
    const txn = await producer.transaction();
    await txn.send({ topic: 'cli-txn', messages: [{ value: 'a', partition: 0 }] });

    const listed = await ok(['transactions', 'list']);
    expect(columns(lines(listed)[0]!)).toEqual(['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState']);
    const row = columns(lines(listed).find((l) => l.startsWith('cli-tx'))!);
    expect([row[0], row[3]]).toEqual(['cli-tx', 'Ongoing']);
    const described = await ok(['transactions', 'describe', '--transactional-id', 'cli-tx']);
    const [header, values] = lines(described).map(columns);
    expect(header).toEqual(['CoordinatorId', 'TransactionalId', 'ProducerId', 'ProducerEpoch', 'TransactionState', 'TransactionTimeoutMs', 'CurrentTransactionStartTimeMs', 'TransactionDurationMs', 'TopicPartitions']);
    expect(values).toMatchObject({ 1: 'cli-tx', 2: row[2], 4: 'Ongoing', 8: 'cli-txn-0' });
    const producers = await ok(['transactions', 'describe-producers', '--topic', 'cli-txn', '--partition', '0']);
    expect(lines(producers).map(columns)).toEqual([
      ['ProducerId', 'ProducerEpoch', 'LatestCoordinatorEpoch', 'LastSequence', 'LastTimestamp', 'CurrentTransactionStartOffset'],
      [row[2], '0', '-1', '0', expect.stringMatching(/^\d+$/), 'None'],
    ]);
    await txn.commit();
    await producer.disconnect();
    expect(columns(lines(await ok(['transactions', 'list', '--state', 'CompleteCommit']))[1]!)[0]).toBe('cli-tx');

    const missing = await s.cli(['transactions', 'describe', '--transactional-id', 'nobody']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('TransactionalIdNotFound');
    expect((await s.cli(['transactions', 'list', '--state', 'Running'])).code).toBe(2);
  });
});

describe('the local stack\'s Kafka gateway, with users', () => {
  it('is named in the stack\'s state, and serves only clients that authenticate', async () => {
    expect(s.stack.state.endpoints.kafka).toBe(broker);
    await expect(runKcat(broker, ['-L', '-m', '5'])).rejects.toThrow();
    const meta = await runKcat(broker, ['-L', '-J', '-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=alice', '-X', 'sasl.password=alice-secret']);
    expect((JSON.parse(meta) as { brokers: { id: number }[] }).brokers.map((b) => b.id)).toEqual([0]);
  });

  it('a kafkajs consumer group commits through it, and kafkaless groups describe shows its offsets and members', async () => {
    await s.kafkaless.admin().createTopics({ topics: [{ topic: 'local-gw', numPartitions: 2 }] });
    const producer = s.kafkaless.producer({ 'linger.ms': 0 });
    await producer.send({ topic: 'local-gw', messages: [0, 1, 2, 3, 4, 5].map((n) => ({ partition: n % 2, value: `v${n}` })) });
    await producer.disconnect();

    const kafka = new Kafka({ clientId: 'local-gw-client', brokers: [broker], logLevel: logLevel.NOTHING, sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'alice-secret' } });
    const consumer = kafka.consumer({ groupId: 'local-gw-group', sessionTimeout: 10_000, heartbeatInterval: 1000 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'local-gw', fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({ autoCommitInterval: 200, eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
    while (seen.length < 6) await new Promise((r) => setTimeout(r, 50));
    // Let a commit of everything handed over land, then ask the CLI while the member is still there.
    let view = '';
    for (;;) {
      const r = await s.cli(['groups', 'describe', 'local-gw-group']);
      expect(r.code).toBe(0);
      view = r.stdout;
      if (view.split('\n').filter((l) => /\blocal-gw\b/.test(l) && columns(l)[3] === '3').length === 2) break;
      await new Promise((r2) => setTimeout(r2, 200));
    }
    const rows = view.trim().split('\n').map(columns).filter((c) => c[1] === 'local-gw');
    expect(rows.map((c) => c.slice(0, 6))).toEqual([
      ['local-gw-group', 'local-gw', '0', '3', '3', '0'],
      ['local-gw-group', 'local-gw', '1', '3', '3', '0'],
    ]);
    expect(rows.every((c) => c[8] === 'local-gw-client')).toBe(true);
    const members = await s.cli(['groups', 'describe', 'local-gw-group', '--members']);
    expect(members.stdout).toContain('local-gw-client');
    await consumer.disconnect();
    expect(seen.sort()).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5']);
  });
});
