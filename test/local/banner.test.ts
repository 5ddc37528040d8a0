import { describe, expect, it } from 'vitest';
import { environmentFor, readyBanner } from '../../lib/local/local-banner.js';
import type { LocalStackState } from '../../lib/local/local-state.js';

const state: LocalStackState = {
  pid: 1234,
  startedAt: '2026-01-01T00:00:00.000Z',
  region: 'us-east-1',
  endpoints: { dynamodb: 'http://127.0.0.1:8765', s3: 'http://127.0.0.1:8766', lambda: 'http://127.0.0.1:8767' },
  functions: { admin: 'Kafkaless-admin' },
  tables: { topics: 'Kafkaless-TopicsTable1' },
  bucket: 'kafkaless-kafkaless-bucket1',
};

describe('ready banner', () => {
  it("gives the SDK's endpoint variables for each local service", () => {
    expect(environmentFor(state)).toEqual({
      AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:8767',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8765',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:8766',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'kafkaless',
      AWS_SECRET_ACCESS_KEY: 'kafkaless',
    });
  });

  it('lists the endpoints, the exports and commands to try', () => {
    const banner = readyBanner(state, '/project/.kafkaless');
    expect(banner).toContain('Lambda    http://127.0.0.1:8767  functions: Kafkaless-admin');
    expect(banner).toContain('  export AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8765');
    expect(banner).toContain('npx kafkaless topics create orders --partitions 3');
    expect(banner).toContain('npx kafkaless topics list');
    expect(banner).not.toContain('Kafka ');
  });

  it('lists the Kafka gateway when it is served', () => {
    const banner = readyBanner({ ...state, endpoints: { ...state.endpoints, kafka: '127.0.0.1:9092' } }, '/project/.kafkaless');
    expect(banner).toContain('  Kafka     127.0.0.1:9092');
    expect(banner).toContain('kcat -b 127.0.0.1:9092 -L');
  });

  it('lists the web console when it is served', () => {
    expect(readyBanner(state, '/project/.kafkaless')).not.toContain('Console');
    const banner = readyBanner({ ...state, endpoints: { ...state.endpoints, console: 'http://127.0.0.1:8080' } }, '/project/.kafkaless');
    expect(banner).toContain('  Console   http://127.0.0.1:8080  the web console');
  });
});
