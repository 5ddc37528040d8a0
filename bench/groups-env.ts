/**
 * What the consumer-group benchmark runs on: the local services (DynamoDB
 * Local and the S3 server, ephemeral), kafkaless's tables and bucket, a
 * topic, a producer that keeps producing to every partition, and the AWS
 * clients the members' transports use, with the group's DynamoDB requests
 * counted by SDK middleware (heartbeats apart from the other group calls).
 */
import { createAwsClients, LOCAL_CREDENTIALS, type AwsClients } from '../lib/aws/clients.js';
import { Admin } from '../lib/client/admin.js';
import { Producer } from '../lib/client/producer/producer.js';
import { EmbeddedTransport } from '../lib/client/transports/embedded.js';
import { startLocalServices, type LocalServices } from '../lib/local/services.js';
import { ensureBucket, provisionTables, tableNamesForPrefix } from '../lib/local/provision.js';
import { call } from '../lib/client/transport.js';
import type { GroupDescription, GroupReplies } from '../lib/protocol/group-replies.js';
import type { MemberTransports } from './groups-member.js';
import { RequestCounter } from './request-counter.js';

/** Fetching members share this many AWS clients, round robin. */
const LOG_CLIENTS = 4;
/** Heartbeats and the other group calls each share this many (50 sockets each): hundreds of members beat at once. */
const GROUP_CLIENTS = 6;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface GroupsEnv {
  readonly topic: string;
  readonly partitions: number;
  /** DynamoDB requests of every member's heartbeats. */
  readonly beatCounter: RequestCounter;
  /** DynamoDB requests of every member's other group calls (commits, committed offsets). */
  readonly otherCounter: RequestCounter;
  /** Fresh embedded transports for one member. */
  memberTransports(): MemberTransports;
  describeGroup(groupId: string): Promise<GroupDescription | undefined>;
  /** Records the producer has had acknowledged. */
  produced(): number;
  stop(): Promise<void>;
}

export interface GroupsEnvOptions {
  readonly partitions: number;
  /** The producer sends one record to every partition this often. */
  readonly produceIntervalMs: number;
}

export async function startGroupsEnv(options: GroupsEnvOptions): Promise<GroupsEnv> {
  const services = await startLocalServices({ mode: 'ephemeral' });
  try {
    return await prepare(services, options);
  } catch (err) {
    await services.stop();
    throw err;
  }
}

async function prepare(services: LocalServices, options: GroupsEnvOptions): Promise<GroupsEnv> {
  const clientOptions = {
    region: services.region,
    endpoints: { dynamodb: services.dynamodbEndpoint, s3: services.s3Endpoint },
    credentials: { ...LOCAL_CREDENTIALS },
    maxAttempts: 3,
  };
  const setup = createAwsClients(clientOptions);
  const beats = Array.from({ length: GROUP_CLIENTS }, () => createAwsClients(clientOptions));
  const other = Array.from({ length: GROUP_CLIENTS }, () => createAwsClients(clientOptions));
  // Fetching members share a few clients: one client's 50 sockets queue requests once 30 members long-poll at once.
  const logs = Array.from({ length: LOG_CLIENTS }, () => createAwsClients(clientOptions));
  let nextLog = 0;
  let nextGroup = 0;
  const tables = tableNamesForPrefix('bench-groups');
  const bucket = 'bench-groups';
  await provisionTables(setup.dynamodb, tables);
  await ensureBucket(setup.s3, bucket);
  const embedded = (clients: AwsClients) => new EmbeddedTransport({ dynamodb: clients.dynamodb, s3: clients.s3, tables, bucket });
  const beatCounter = new RequestCounter();
  for (const clients of beats) beatCounter.watchDynamoDb(clients.dynamodb);
  const otherCounter = new RequestCounter();
  for (const clients of other) otherCounter.watchDynamoDb(clients.dynamodb);

  const topic = 'bench-groups';
  const setupTransport = embedded(setup);
  const admin = new Admin(setupTransport);
  await admin.createTopics({ topics: [{ topic, numPartitions: options.partitions }] });
  const allPartitions = Array.from({ length: options.partitions }, (_, p) => p);
  // One producer, one send at a time: concurrent appends to one topic contend on its items. Not idempotent, so
  // each append's transaction carries no producer-state items: the group's figures do not depend on producing.
  const producer = startProducer(new Producer(embedded(setup), { 'enable.idempotence': false }), topic, allPartitions, options.produceIntervalMs);

  return {
    topic,
    partitions: options.partitions,
    beatCounter,
    otherCounter,
    memberTransports: () => {
      const g = nextGroup++ % GROUP_CLIENTS;
      return { beats: embedded(beats[g]!), groupOther: embedded(other[g]!), log: embedded(logs[nextLog++ % LOG_CLIENTS]!) };
    },
    async describeGroup(groupId) {
      // The group function's own description (state names as the coordinator keeps them).
      const [group] = (await call<GroupReplies['describeGroups']>(setupTransport, 'group', { action: 'describeGroups', groupIds: [groupId] })).groups;
      return group;
    },
    produced: () => producer.count,
    async stop() {
      await producer.stop();
      for (const clients of [setup, ...beats, ...other, ...logs]) destroy(clients);
      await services.stop();
    },
  };
}

function destroy(clients: AwsClients): void {
  clients.dynamodb.destroy();
  clients.s3.destroy();
}

interface RunningProducer {
  count: number;
  stop(): Promise<void>;
}

/** Sends one small record to each of its partitions every interval, one send at a time (back to back when a send takes longer). */
function startProducer(producer: Producer, topic: string, partitions: readonly number[], intervalMs: number): RunningProducer {
  let running = true;
  const state: RunningProducer = {
    count: 0,
    async stop() {
      running = false;
      await done;
      await producer.disconnect().catch(() => undefined);
    },
  };
  const value = 'x'.repeat(100);
  const done = (async () => {
    while (running) {
      const startedMs = Date.now();
      const messages = partitions.map((partition) => ({ value, partition }));
      try {
        await producer.send({ topic, messages });
        state.count += messages.length;
      } catch {
        // A failed send is retried at the next interval; the stream only needs to keep flowing.
      }
      await sleep(Math.max(0, intervalMs - (Date.now() - startedMs)));
    }
  })();
  return state;
}
