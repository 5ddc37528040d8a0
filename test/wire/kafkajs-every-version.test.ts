/**
 * Every request version kafkajs can send, for every API both sides have: kafkajs
 * frames it, ours decodes it (the whole frame, exactly) and re-encodes the same bytes.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_KEYS, decodeRequest, encodeRequest, FrameSplitter } from '../../lib/wire/index.js';

const require = createRequire(import.meta.url);
const REQUESTS_DIR = dirname(require.resolve('kafkajs/src/protocol/requests/metadata/v0/request'));
const frameRequest = require('kafkajs/src/protocol/request') as (args: {
  correlationId: number;
  clientId: string;
  request: { apiKey: number; apiVersion: number; encode: () => Promise<unknown> };
}) => Promise<{ buffer: Buffer }>;

const topicPartitions = [{ topic: 'orders', partitions: [{ partition: 0, offset: '5', metadata: 'm', fetchOffset: '5', maxBytes: 1024, timestamp: -1 }] }];
const message = { key: 'k', value: 'v', timestamp: 1_700_000_000_000 };

/** Arguments each kafkajs request builder takes (a superset across its versions). */
const ARGS: Record<string, unknown> = {
  apiVersions: {},
  metadata: { topics: ['orders'], allowAutoTopicCreation: true },
  produce: { acks: 1, timeout: 1000, topicData: [{ topic: 'orders', partitions: [{ partition: 0, firstSequence: 0, messages: [message] }] }] },
  fetch: { replicaId: -1, maxWaitTime: 100, minBytes: 1, maxBytes: 4096, topics: topicPartitions, rackId: 'r1' },
  listOffsets: { replicaId: -1, isolationLevel: 1, topics: topicPartitions },
  findCoordinator: { groupId: 'g', coordinatorKey: 'g', coordinatorType: 0 },
  joinGroup: {
    groupId: 'g',
    sessionTimeout: 30000,
    rebalanceTimeout: 60000,
    memberId: 'm',
    groupInstanceId: 'i',
    protocolType: 'consumer',
    groupProtocols: [{ name: 'range', metadata: Buffer.from([1, 2]) }],
  },
  syncGroup: { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: 'i', groupAssignment: [{ memberId: 'm', memberAssignment: Buffer.from([3]) }] },
  heartbeat: { groupId: 'g', groupGenerationId: 1, memberId: 'm', groupInstanceId: 'i' },
  leaveGroup: { groupId: 'g', memberId: 'm', members: [{ memberId: 'm', groupInstanceId: 'i' }] },
  offsetCommit: { groupId: 'g', groupGenerationId: 1, memberId: 'm', retentionTime: -1, groupInstanceId: 'i', topics: topicPartitions },
  offsetFetch: { groupId: 'g', topics: topicPartitions },
  listGroups: {},
  describeGroups: { groupIds: ['g1', 'g2'] },
  createTopics: {
    topics: [{ topic: 'orders', numPartitions: 3, replicationFactor: 1, replicaAssignment: [{ partition: 0, replicas: [1] }], configEntries: [{ name: 'retention.ms', value: '1000' }] }],
    validateOnly: false,
    timeout: 5000,
  },
  deleteTopics: { topics: ['orders'], timeout: 5000 },
  createPartitions: { topicPartitions: [{ topic: 'orders', count: 4, assignments: [[1]] }], validateOnly: false, timeout: 5000 },
  describeConfigs: { resources: [{ type: 2, name: 'orders', configNames: ['retention.ms'] }], includeSynonyms: true },
  alterConfigs: { resources: [{ type: 2, name: 'orders', configEntries: [{ name: 'retention.ms', value: '1' }] }], validateOnly: true },
  deleteRecords: { topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: '3' }] }], timeout: 5000 },
  deleteGroups: ['g1'],
  saslHandshake: { mechanism: 'PLAIN' },
  // kafkajs hands SaslAuthenticate the SASL mechanism's bytes already length-prefixed.
  saslAuthenticate: { authBytes: Buffer.from([0, 0, 0, 10, ...Buffer.from('\0user\0pass')]) },
  initProducerId: { transactionalId: 't', transactionTimeout: 60000 },
  addPartitionsToTxn: { transactionalId: 't', producerId: '7', producerEpoch: 1, topics: [{ topic: 'orders', partitions: [0, 1] }] },
  addOffsetsToTxn: { transactionalId: 't', producerId: '7', producerEpoch: 1, groupId: 'g' },
  endTxn: { transactionalId: 't', producerId: '7', producerEpoch: 1, transactionResult: true },
  txnOffsetCommit: { transactionalId: 't', groupId: 'g', producerId: '7', producerEpoch: 1, topics: topicPartitions },
};

function kafkajsVersions(api: string): number[] {
  return readdirSync(join(REQUESTS_DIR, '..', '..', api))
    .filter((name) => /^v\d+$/.test(name))
    .map((name) => Number(name.slice(1)))
    .sort((a, b) => a - b);
}

describe('every kafkajs request version decodes with ours and re-encodes to the same bytes', () => {
  for (const [api, args] of Object.entries(ARGS)) {
    it(api, async () => {
      const versions = kafkajsVersions(api);
      expect(versions.length).toBeGreaterThan(0);
      for (const version of versions) {
        const build = require(`kafkajs/src/protocol/requests/${api}/v${version}/request`) as (a: unknown) => {
          apiKey: number;
          apiVersion: number;
          encode: () => Promise<unknown>;
        };
        const request = build(args);
        const { buffer } = await frameRequest({ correlationId: 9, clientId: 'kafkajs', request });
        const [payload] = new FrameSplitter().push(buffer);
        const decoded = decodeRequest(payload);
        expect(decoded.header).toEqual({ apiKey: request.apiKey, apiVersion: version, correlationId: 9, clientId: 'kafkajs' });
        expect(Object.values(API_KEYS)).toContain(decoded.header.apiKey);
        expect(encodeRequest(decoded.header.apiKey, version, decoded.header, decoded.body as never), `${api} v${version}`).toEqual(buffer);
      }
    });
  }
});
