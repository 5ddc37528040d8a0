/**
 * The Kafka gateway of a local stack as `npm start -- --kafka-users FILE`
 * runs it: only authenticated clients are served, a kafkajs consumer group
 * commits through it, and `kafkaless groups describe` (the CLI as a child
 * process) shows that group's members and committed offsets.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const columns = (line: string) => line.trim().split(/\s{2,}/);

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
