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
import type { GroupDescription } from '../lib/protocol/group-replies.js';
import type { MemberTransports } from './groups-member.js';
import { RequestCounter } from './request-counter.js';

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
  const beats = createAwsClients(clientOptions);
  const other = createAwsClients(clientOptions);
  const log = createAwsClients(clientOptions);
  const tables = tableNamesForPrefix('bench-groups');
  const bucket = 'bench-groups';
  await provisionTables(setup.dynamodb, tables);
  await ensureBucket(setup.s3, bucket);
  const embedded = (clients: AwsClients) => new EmbeddedTransport({ dynamodb: clients.dynamodb, s3: clients.s3, tables, bucket });
  const beatCounter = new RequestCounter();
  beatCounter.watchDynamoDb(beats.dynamodb);
  const otherCounter = new RequestCounter();
  otherCounter.watchDynamoDb(other.dynamodb);

  const topic = 'bench-groups';
  const setupTransport = embedded(setup);
  const admin = new Admin(setupTransport);
  await admin.createTopics({ topics: [{ topic, numPartitions: options.partitions }] });
  const producer = startProducer(new Producer(embedded(setup), {}), topic, options);

  return {
    topic,
    partitions: options.partitions,
    beatCounter,
    otherCounter,
    memberTransports: () => ({ beats: embedded(beats), groupOther: embedded(other), log: embedded(log) }),
    async describeGroup(groupId) {
      const [group] = await admin.describeGroups([groupId]);
      return group;
    },
    produced: () => producer.count,
    async stop() {
      await producer.stop();
      for (const clients of [setup, beats, other, log]) destroy(clients);
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

/** Sends one small record to every partition each interval (back to back when a send takes longer). */
function startProducer(producer: Producer, topic: string, options: GroupsEnvOptions): RunningProducer {
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
      const messages = Array.from({ length: options.partitions }, (_, partition) => ({ value, partition }));
      try {
        await producer.send({ topic, messages });
        state.count += messages.length;
      } catch {
        await sleep(100);
      }
      await sleep(Math.max(0, options.produceIntervalMs - (Date.now() - startedMs)));
    }
  })();
  return state;
}
