import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildGeneratedModules, GENERATED_MODULES, vendoredFiles } from '../../scripts/wire/vendored-definitions.js';
import { API_KEYS, requestSchema, responseSchema, VENDORED_APIS, type ApiKey } from '../../lib/wire/index.js';

/** The APIs the gateway needs; each has its request and response definition vendored. */
const NEEDED = [
  'ApiVersions', 'Metadata', 'Produce', 'Fetch', 'ListOffsets', 'OffsetForLeaderEpoch', 'FindCoordinator', 'JoinGroup',
  'SyncGroup', 'Heartbeat', 'LeaveGroup', 'ConsumerGroupHeartbeat', 'ConsumerGroupDescribe', 'OffsetCommit', 'OffsetFetch', 'ListGroups',
  'DescribeGroups', 'DeleteGroups', 'OffsetDelete', 'InitProducerId', 'AddPartitionsToTxn', 'AddOffsetsToTxn', 'EndTxn',
  'TxnOffsetCommit', 'CreateTopics', 'DeleteTopics', 'CreatePartitions', 'DescribeConfigs', 'AlterConfigs',
  'IncrementalAlterConfigs', 'DeleteRecords', 'DescribeCluster', 'SaslHandshake', 'SaslAuthenticate', 'DescribeProducers',
  'DescribeTransactions', 'ListTransactions', 'DescribeLogDirs',
];

describe('vendored definitions', () => {
  it('lib/wire/generated-schemas.ts and generated-types.ts are exactly what lib/wire/messages/*.json produce', () => {
    const fresh = buildGeneratedModules();
    expect(readFileSync(GENERATED_MODULES.schemas, 'utf8') === fresh.schemas).toBe(true);
    expect(readFileSync(GENERATED_MODULES.types, 'utf8') === fresh.types).toBe(true);
  });

  it('covers every API the gateway needs, request and response, and the headers', () => {
    for (const name of NEEDED) {
      const apiKey = (API_KEYS as Readonly<Record<string, ApiKey>>)[name];
      expect(apiKey, name).toBeTypeOf('number');
      expect(requestSchema(apiKey)?.name).toBe(`${name}Request`);
      expect(responseSchema(apiKey)?.name).toBe(`${name}Response`);
    }
    expect(VENDORED_APIS.map((a) => a.name).sort()).toEqual([...NEEDED].sort());
    expect(vendoredFiles()).toContain('RequestHeader.json');
    expect(vendoredFiles()).toContain('ResponseHeader.json');
  });

  it('keeps the Apache license header of every definition', () => {
    for (const file of vendoredFiles()) {
      const text = readFileSync(new URL(`../../lib/wire/messages/${file}`, import.meta.url), 'utf8');
      expect(text.startsWith('// Licensed to the Apache Software Foundation'), file).toBe(true);
    }
  });
});
