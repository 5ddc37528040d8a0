import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAdminHandler } from '../../lib/broker/admin/index.js';
import { createBrokerContext } from '../../lib/broker/context.js';
import { createFetchHandler } from '../../lib/broker/fetch/index.js';
import { createGroupHandler } from '../../lib/broker/groups/index.js';
import { createMaintenanceHandler } from '../../lib/broker/maintenance/index.js';
import { createProduceHandler } from '../../lib/broker/produce/index.js';
import { isErrorCode } from '../../lib/errors.js';
import { encodeRecordBatch } from '../../lib/log/index.js';
import { isReply, type Reply } from '../../lib/protocol/reply.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { mutate, mutationArbitrary, type Json } from './mutations.js';
import { fullState, type FullState } from './state.js';

type Handler = (event: unknown) => Promise<Reply<unknown>>;

let t: TestKafkaless;
const handlers: Record<string, Handler> = {};
let validBatch = '';
let batchLike: string[] = [];
let state: FullState;

/** Requests that change nothing even when they succeed. */
const READ_ONLY = new Set(['fetch', 'listOffsets', 'metadata', 'listTopics', 'describeTopics', 'describeConfigs', 'fetchOffsets', 'listGroups', 'describeGroups', 'listTransactions', 'describeTransactions', 'describeProducers']);
/** Codes a bad request must never get: they mean it reached storage unchecked or broke something. */
const FORBIDDEN_CODES = new Set(['UnknownServerError', 'KafkaStorageError']);

beforeAll(async () => {
  t = await createTestKafkaless();
  const admin = t.kafkaless.admin();
  await admin.createTopics({ topics: [{ topic: 'fuzz', numPartitions: 2 }, { topic: 'fuzz-admin' }, { topic: 'fz-doomed' }] });
  const producer = t.kafkaless.producer({ 'linger.ms': 0 });
  await producer.send({ topic: 'fuzz', messages: [{ value: 'one', partition: 0 }, { value: 'two', partition: 0 }] });
  await producer.disconnect();

  const base = { dynamodb: t.clients.dynamodb, s3: t.clients.s3, tables: t.tables, bucket: t.bucket };
  const quiet = () => undefined;
  // Fetch gets a clock that leaps, so a valid long maxWaitMs ends at once.
  let leap = 0;
  const leapingClock = () => Date.now() + (leap += 60_000);
  handlers.admin = createAdminHandler(createBrokerContext(base), quiet);
  handlers.produce = createProduceHandler(createBrokerContext(base), quiet);
  handlers.fetch = createFetchHandler(createBrokerContext({ ...base, now: leapingClock }), quiet);
  handlers.group = createGroupHandler(createBrokerContext(base), quiet);
  handlers.maintenance = createMaintenanceHandler(createBrokerContext(base), quiet);

  const bytes = await encodeRecordBatch([{ key: null, value: Buffer.from('fuzzed'), headers: [], timestamp: Date.now() }]);
  validBatch = bytes.toString('base64');
  const flipped = Buffer.from(bytes);
  flipped[flipped.length - 1]! ^= 0xff;
  batchLike = [
    validBatch,
    bytes.subarray(0, 20).toString('base64'),
    bytes.subarray(0, bytes.length - 1).toString('base64'),
    bytes.subarray(61).toString('base64'),
    flipped.toString('base64'),
    Buffer.concat([bytes, bytes]).toString('base64'),
    `${validBatch}A`,
    validBatch.slice(0, -2),
    'QQ=',
  ];
});
afterAll(async () => t?.close());
beforeEach(async () => {
  state = await fullState(t.clients, t.tables, t.bucket);
});

const templates = (): Record<string, Json[]> => ({
  admin: [
    { action: 'createTopics', topics: [{ topic: 'fz-new', numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '60000' }] }], validateOnly: true },
    { action: 'listTopics' },
    { action: 'describeTopics', topics: ['fuzz-admin'] },
    { action: 'deleteTopics', topics: ['fz-doomed'] },
    { action: 'createPartitions', topicPartitions: [{ topic: 'fuzz-admin', count: 2 }], validateOnly: true },
    { action: 'describeConfigs', topics: ['fuzz-admin'] },
    { action: 'alterConfigs', topics: [{ topic: 'fuzz-admin', configEntries: [{ name: 'retention.ms', value: '1000' }] }], validateOnly: true },
  ],
  produce: [
    { action: 'produce', acks: -1, entries: [{ topic: 'fuzz', partition: 1, batch: validBatch }] },
    { action: 'initProducerId' },
    { action: 'metadata', topics: ['fuzz'] },
    { action: 'initTransactions', transactionalId: 'fz-txn' },
    { action: 'listTransactions', states: ['Empty'], producerIds: [] },
    { action: 'describeTransactions', transactionalIds: ['fz-txn'] },
    { action: 'describeProducers', partitions: [{ topic: 'fuzz', partition: 0 }] },
  ],
  fetch: [
    { action: 'fetch', partitions: [{ topic: 'fuzz', partition: 0, offset: 0, maxBytes: 1024 }], maxBytes: 4096, maxWaitMs: 0, minBytes: 1 },
    { action: 'listOffsets', partitions: [{ topic: 'fuzz', partition: 0, timestamp: -2 }] },
    { action: 'metadata', topics: ['fuzz'] },
  ],
  group: [
    { action: 'heartbeat', groupId: 'fz-group', memberId: '', memberEpoch: 0, subscribedTopics: ['fuzz'], sessionTimeoutMs: 45_000 },
    { action: 'commitOffsets', groupId: 'fz-empty', offsets: [{ topic: 'fuzz', partition: 0, offset: 1, metadata: '' }] },
    { action: 'fetchOffsets', groupId: 'fz-group', topics: ['fuzz'] },
    { action: 'resetOffsets', groupId: 'fz-empty', topic: 'fuzz', partitions: [0], to: 'earliest', dryRun: true },
    { action: 'listGroups' },
    { action: 'describeGroups', groupIds: ['fz-group'] },
    { action: 'deleteOffsets', groupId: 'fz-empty', topics: [{ topic: 'fuzz', partitions: [1] }] },
    { action: 'deleteGroups', groupIds: ['fz-empty'] },
  ],
  maintenance: [{ action: 'run', topic: 'fuzz', partitions: [0], steps: ['retention'] }, { 'detail-type': 'Scheduled Event', source: 'aws.events' }],
});

function leavesStateAlone(event: unknown, reply: Reply<unknown>): boolean {
  if (!reply.ok) return true;
  if (typeof event !== 'object' || event === null) return false;
  const e = event as { action?: unknown; validateOnly?: unknown; dryRun?: unknown };
  return (typeof e.action === 'string' && READ_ONLY.has(e.action)) || e.validateOnly === true || e.dryRun === true;
}

/** Runs one event and checks the reply and the state; a successful change becomes the new baseline. */
async function check(role: string, event: unknown): Promise<void> {
  let reply: Reply<unknown>;
  try {
    reply = await handlers[role]!(event);
  } catch (err) {
    throw new Error(`the ${role} handler threw on ${preview(event)}: ${String(err)}`);
  }
  expect(isReply(reply), `${role}: not a reply for ${preview(event)}`).toBe(true);
  if (!reply.ok) {
    expect(isErrorCode(reply.error.code), `${role}: unknown code ${reply.error.code}`).toBe(true);
    expect(FORBIDDEN_CODES.has(reply.error.code), `${role} answered ${reply.error.code} (${reply.error.message}) to ${preview(event)}`).toBe(false);
  }
  const after = await fullState(t.clients, t.tables, t.bucket);
  if (leavesStateAlone(event, reply)) expect(after, `${role} changed state answering ${JSON.stringify(reply).slice(0, 200)} to ${preview(event)}`).toEqual(state);
  state = after;
}

function preview(event: unknown): string {
  const text = JSON.stringify(event) ?? String(event);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

const ROLES = ['admin', 'produce', 'fetch', 'group', 'maintenance'] as const;
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

describe('every handler under malformed events', () => {
  it('accepts every valid template as it stands', async () => {
    for (const role of ROLES) {
      for (const template of templates()[role]!) {
        const reply = await handlers[role]!(template);
        expect(reply.ok, `${role} ${JSON.stringify(template).slice(0, 120)}: ${JSON.stringify(reply).slice(0, 300)}`).toBe(true);
      }
    }
  });

  for (const role of ROLES) {
    it(`the ${role} handler answers random JSON with a typed error and changes nothing`, async () => {
      const events = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.json({ maxDepth: 2 }), fc.string({ maxLength: 50 }), fc.constantFrom(undefined, '', '{', '[]', 'null'));
      await fc.assert(
        fc.asyncProperty(events, (event) => check(role, event)),
        { numRuns: RUNS },
      );
    });

    it(`the ${role} handler answers mutated valid requests with a typed error or a correct success, and a rejection changes nothing`, async () => {
      const cases = fc.record({
        template: fc.constantFrom(...templates()[role]!),
        mutations: fc.array(mutationArbitrary(batchLike), { minLength: 1, maxLength: 3 }),
      });
      await fc.assert(
        fc.asyncProperty(cases, ({ template, mutations }) => check(role, mutate(template, mutations))),
        { numRuns: RUNS * 2 },
      );
    });
  }

});
