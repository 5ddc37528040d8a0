/**
 * The console's API and shell over the test services: Kafka's error names
 * and HTTP statuses for bad input, with no state change; the token, Origin
 * and Host checks against other sites; no AWS credentials to the browser.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleServer } from '../../lib/console/console-server.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';

let t: TestKafkaless;
let server: ConsoleServer;

beforeAll(async () => {
  t = await createTestKafkaless();
  server = await startConsole({ kafkaless: t.kafkaless });
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly json: { error?: { code: string; message: string } } & Record<string, unknown>;
}

/** An HTTP request with exactly these headers (fetch would not let a test set Host). */
function call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; token?: boolean } = {}): Promise<Answer> {
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    host: `127.0.0.1:${server.port}`,
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(options.token === true ? { 'x-console-token': server.token } : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = {};
        try {
          json = JSON.parse(text) as object;
        } catch {
          // the shell, not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: json as Answer['json'] });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the console API', () => {
  it("answers bad input with Kafka's error names and fitting statuses, changing nothing", async () => {
    expect((await call('POST', '/api/topics', { body: { name: 'bad name!' }, token: true })).json.error?.code).toBe('InvalidTopic');
    expect((await call('POST', '/api/topics', { body: { name: 'api-t', partitions: 0 }, token: true })).json.error?.code).toBe('InvalidPartitions');
    expect((await call('POST', '/api/topics', { body: { name: 'api-t', configs: { 'cleanup.policy': 'sometimes' } }, token: true })).json.error?.code).toBe('InvalidConfig');
    expect(await t.kafkaless.admin().listTopics()).toEqual([]);
    expect((await call('POST', '/api/topics', { body: { name: 'api-t', partitions: 2 }, token: true })).status).toBe(200);
    const again = await call('POST', '/api/topics', { body: { name: 'api-t' }, token: true });
    expect([again.status, again.json.error?.code]).toEqual([409, 'TopicAlreadyExists']);
    const missing = await call('GET', '/api/topics/no-such');
    expect([missing.status, missing.json.error?.code]).toEqual([404, 'UnknownTopicOrPartition']);
    const badOffset = await call('GET', '/api/topics/api-t/messages?offset=-1');
    expect([badOffset.status, badOffset.json.error?.code]).toEqual([400, 'InvalidRequest']);
    const badPartition = await call('GET', '/api/topics/api-t/messages?partition=5');
    expect([badPartition.status, badPartition.json.error?.code]).toEqual([404, 'UnknownTopicOrPartition']);
    for (const query of ['offsets=0-1', 'format=xml', 'offset=1&from=latest', 'from=middle']) {
      const bad = await call('GET', `/api/topics/api-t/messages?${query}`);
      expect([query, bad.status, bad.json.error?.code]).toEqual([query, 400, 'InvalidRequest']);
    }
    expect((await call('GET', '/api/transactions')).json).toEqual({ transactions: [] });
    const notJson = await call('POST', '/api/topics/api-t/messages', { body: '{', token: true });
    expect([notJson.status, notJson.json.error?.code]).toEqual([400, 'InvalidRequest']);
    const shrink = await call('POST', '/api/topics/api-t/partitions', { body: { count: 1 }, token: true });
    expect([shrink.status, shrink.json.error?.code]).toEqual([400, 'InvalidPartitions']);
    expect((await call('GET', '/api/nothing')).status).toBe(404);
    expect((await call('PUT', '/api/topics', { body: {}, token: true })).headers.allow).toBe('GET, POST');
  });

  it('produces, reads back a window and a whole record, resets a group with a preview', async () => {
    const produced = await call('POST', '/api/topics/api-t/messages', { body: { key: 'k', value: 'v'.repeat(5000), headers: { h: '1' }, partition: 1 }, token: true });
    expect(produced.json).toMatchObject({ partition: 1, offset: 0 });
    const window = await call('GET', '/api/topics/api-t/messages?partition=1&from=latest');
    expect(window.json).toMatchObject({ partitions: [{ partition: 1, logStartOffset: 0, highWatermark: 1, from: 0, next: 1 }], scanned: 1 });
    expect((window.json.records as { value: { truncated: boolean } }[])[0]!.value.truncated).toBe(true);
    const whole = await call('GET', '/api/topics/api-t/messages/1/0');
    expect((whole.json.record as { value: { text: string } }).value.text).toHaveLength(5000);
    expect((await call('GET', '/api/topics/api-t/messages/1/1')).json.error?.code).toBe('OffsetOutOfRange');
    const tail = await call('GET', '/api/topics/api-t/messages?offsets=1:1');
    expect(tail.json).toMatchObject({ partitions: [{ partition: 0, from: 0, next: 0 }, { partition: 1, from: 1, next: 1 }], records: [] });
    await t.kafkaless.admin().setOffsets({ groupId: 'api-g', topic: 'api-t', partitions: [{ partition: 1, offset: 0 }] });
    expect((await call('GET', '/api/groups/api-g')).json).toMatchObject({ state: 'Empty', lag: 1 });
    const preview = await call('POST', '/api/groups/api-g/reset-offsets', { body: { topic: 'api-t', to: 'latest', dryRun: true }, token: true });
    expect(preview.json).toMatchObject({ dryRun: true, offsets: expect.arrayContaining([{ topic: 'api-t', partition: 1, offset: 1, previousOffset: 0 }]) });
    expect((await call('GET', '/api/groups/api-g')).json).toMatchObject({ lag: 1 });
    await call('POST', '/api/groups/api-g/reset-offsets', { body: { topic: 'api-t', to: 'latest', dryRun: false }, token: true });
    expect((await call('GET', '/api/groups/api-g')).json).toMatchObject({ lag: 0 });
    expect((await call('GET', '/api/groups/no-such-group')).status).toBe(404);
  });
});

describe('against other sites', () => {
  it('refuses a state-changing request without the token, from another origin, or cross-site', async () => {
    const body = { name: 'csrf-t' };
    const noToken = await call('POST', '/api/topics', { body });
    expect([noToken.status, noToken.json.error?.code]).toEqual([403, 'MissingConsoleToken']);
    const wrongToken = await call('POST', '/api/topics', { body, headers: { 'x-console-token': 'guess' } });
    expect(wrongToken.status).toBe(403);
    const otherOrigin = await call('POST', '/api/topics', { body, token: true, headers: { origin: 'http://evil.example' } });
    expect([otherOrigin.status, otherOrigin.json.error?.code]).toEqual([403, 'CrossSiteRequest']);
    const crossSite = await call('DELETE', '/api/topics/api-t', { token: true, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect(await t.kafkaless.admin().listTopics()).toEqual(['api-t']);
    const sameOrigin = await call('POST', '/api/topics', { body, token: true, headers: { origin: `http://localhost:${server.port}`, 'sec-fetch-site': 'same-origin' } });
    expect(sameOrigin.status).toBe(200);
  });

  it('answers only for its own host names (no DNS rebinding), in every area', async () => {
    for (const path of ['/', '/api/topics', '/ui/app.js']) {
      expect((await call('GET', path, { headers: { host: `rebound.example:${server.port}` } })).status).toBe(421);
    }
    expect((await call('GET', '/api/topics', { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('serves the shell with the token, a script policy of its own files, and no AWS credentials', async () => {
    const shell = await call('GET', '/topics');
    expect(shell.status).toBe(200);
    expect(shell.text).toContain(`<meta name="console-token" content="${server.token}">`);
    expect(shell.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-[^']+'/);
    expect(shell.headers['x-frame-options']).toBe('DENY');
    for (const answer of [shell, await call('GET', '/api/overview'), await call('GET', '/api/topics/api-t')]) {
      expect(answer.text).not.toMatch(/accessKeyId|secretAccessKey|AWS_|X-Amz/i);
    }
    expect((await call('GET', '/ui/../console-server.ts')).status).toBe(404);
    expect((await call('GET', '/vendor/preact.mjs')).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });
});
