/**
 * The web console in Chromium, over the test services: create a topic,
 * produce, browse and filter its messages, a group's lag and an offset
 * reset, delete the topic; an invalid name, a missing topic's 404 page; axe
 * on every view. Each view's screenshot goes to docs/console/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../lib/client/transport.js';
import { startConsole, type ConsoleServer } from '../../lib/console/console-server.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { batchBase64, produceRaw } from '../log-path/helpers.js';
import { launchChromium, seriousAxeViolations } from './browser.js';

const SHOTS = join(process.cwd(), 'docs', 'console');

let t: TestKafkaless;
let server: ConsoleServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  t = await createTestKafkaless();
  server = await startConsole({ kafkaless: t.kafkaless });
  browser = await launchChromium();
  // bypassCSP: the test injects axe-core, which the console's own policy would refuse.
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  page = await context.newPage();
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

async function check(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
}

const main = () => page.locator('main');

/** Polls until the page shows what is expected (the UI loads each view's data after navigation). */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 50 });

describe('the web console', () => {
  it('creates a topic, refusing an invalid name with Kafka\'s error name', async () => {
    await page.goto(`${server.url}/topics`);
    await eventually(() => main().locator('h1').textContent()).toBe('Topics');
    await page.getByLabel('Name', { exact: true }).fill('bad name!');
    await page.getByRole('button', { name: 'Create topic' }).click();
    await eventually(() => page.getByRole('alert').textContent()).toMatch(/^InvalidTopic: /);
    await page.getByLabel('Name', { exact: true }).fill('orders');
    await page.getByLabel('Partitions', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Create topic' }).click();
    await page.waitForURL(`${server.url}/topics/orders`);
    await eventually(() => main().locator('h1').textContent()).toBe('Topic orders');
    await eventually(() => main().locator('table').first().locator('tbody tr').count()).toBe(2);
    await check('topic');
  });

  it('produces messages and browses them: JSON pretty-printed, binary as hex, long values cut with a way to see them whole', async () => {
    const producer = t.kafkaless.producer();
    await producer.send({
      topic: 'orders',
      messages: [
        { key: 'k-bin', value: Buffer.from([0, 1, 2, 0xff]), partition: 0 },
        { key: 'k-long', value: 'x'.repeat(10_000), partition: 0 },
      ],
    });
    await producer.disconnect();
    await page.goto(`${server.url}/topics/orders/messages?partition=0`);
    await page.getByLabel('Key', { exact: true }).fill('k-json');
    await page.getByLabel('Partition', { exact: true }).last().fill('0');
    await page.getByLabel('Value', { exact: true }).fill('{"id":7,"items":["a"]}');
    await page.getByLabel(/^Headers/).fill('source=console');
    await page.getByRole('button', { name: 'Produce' }).click();
    await eventually(() => page.getByRole('status').filter({ hasText: 'Produced' }).textContent()).toMatch(/partition 0, offset 2/);
    await eventually(() => main().locator('table.messages tbody tr').count()).toBe(3);
    const rows = main().locator('table.messages tbody tr');
    expect(await rows.nth(0).getByLabel('Value at partition 0 offset 0').textContent()).toBe('000102ff');
    expect(await rows.nth(2).getByLabel('Value at partition 0 offset 2').textContent()).toBe('{\n  "id": 7,\n  "items": [\n    "a"\n  ]\n}');
    expect(await rows.nth(2).getByLabel('Header source at partition 0 offset 2').textContent()).toBe('console');
    expect((await rows.nth(1).getByLabel('Value at partition 0 offset 1').textContent())!.length).toBe(4096);
    await rows.nth(1).getByRole('button', { name: 'Show all (10000 bytes)' }).first().click();
    await eventually(async () => (await rows.nth(1).getByLabel('Value at partition 0 offset 1').textContent())!.length).toBe(10_000);
    await check('messages');
  });

  it("shows a partition's index items and the S3 objects they point at", async () => {
    await page.goto(`${server.url}/topics/orders`);
    await main().getByRole('link', { name: 'Objects and commits of partition 0' }).click();
    await page.waitForURL(`${server.url}/topics/orders/partitions/0`);
    const items = page.getByRole('table', { name: 'Index items' });
    await eventually(() => items.locator('tbody tr th').allTextContents()).toEqual(['0–1', '2–2']);
    expect(await items.locator('tbody tr').first().textContent()).toContain('ingest batch');
    await check('partition');
  });

  it('filters messages by key and starts from an offset, kept in the URL', async () => {
    await page.goto(`${server.url}/topics/orders/messages`);
    await page.getByLabel('Key contains').fill('json');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(/key=json/);
    await eventually(() => main().locator('table.messages tbody tr').count()).toBe(1);
    await page.reload();
    await eventually(() => main().locator('table.messages tbody tr').count()).toBe(1);
    await page.goto(`${server.url}/topics/orders/messages?partition=0&offset=1`);
    await eventually(() => main().locator('table.messages tbody tr td.num:nth-child(2)').allTextContents()).toEqual(['1', '2']);
    await page.goto(`${server.url}/topics/orders/messages?partition=0&from=latest&limit=1`);
    await eventually(() => main().locator('table.messages tbody tr td.num:nth-child(2)').allTextContents()).toEqual(['2']);
  });

  it('tails new messages live and exports the window as JSON and CSV', async () => {
    await page.goto(`${server.url}/topics/orders/messages?partition=1`);
    await eventually(() => main().locator('table.messages tbody tr').textContent()).toContain('No messages here.');
    await page.getByRole('button', { name: 'Live tail' }).click();
    await page.waitForURL(/tail=1/);
    const producer = t.kafkaless.producer();
    await producer.send({ topic: 'orders', messages: [{ key: 'tailed', value: 'live', partition: 1 }] });
    await producer.disconnect();
    await eventually(() => main().locator('table.messages tbody tr').first().textContent()).toContain('live');
    await page.getByRole('button', { name: 'Stop live tail' }).click();
    const json = await page.request.get(`${server.url}/api/topics/orders/messages?partition=0&format=json`);
    expect(json.headers()['content-disposition']).toBe('attachment; filename="orders-messages.json"');
    expect(((await json.json()) as { value: { text: string } }[]).map((r) => r.value.text.length)).toEqual([8, 10_000, 39]);
    const csv = await (await page.request.get(`${server.url}/api/topics/orders/messages?partition=0&key=json&format=csv`)).text();
    expect(csv.split('\r\n')[0]).toBe('partition,offset,timestamp,key,value,headers');
    expect(csv).toContain('"{\n  ""id"": 7,');
    expect(await main().getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe('/api/topics/orders/messages?partition=1&format=csv');
  });

  it("shows a group's members and its lag falling to zero as it consumes, refuses a reset while it has members, then resets with a preview", async () => {
    await t.kafkaless.admin().setOffsets({ groupId: 'billing', topic: 'orders', partitions: [{ partition: 0, offset: 0 }, { partition: 1, offset: 0 }] });
    await page.goto(`${server.url}/groups/billing`);
    await eventually(() => page.getByTestId('total-lag').textContent()).toBe('4');
    const consumer = t.kafkaless.consumer({ groupId: 'billing', clientId: 'billing-worker', 'auto.commit.interval.ms': 100 });
    consumer.subscribe({ topic: 'orders' });
    try {
      await consumer.run({ eachMessage: async () => undefined });
      await eventually(() => page.getByTestId('total-lag').textContent()).toBe('0');
      await eventually(() => main().locator('table').first().textContent()).toContain('billing-worker');
      // The history is the server's: a reload keeps it.
      await page.reload();
      await eventually(async () => Number(/\((\d+) samples\)/.exec((await page.getByRole('img', { name: /^Lag over time/ }).getAttribute('aria-label')) ?? '')?.[1] ?? 0)).toBeGreaterThan(2);
      await check('group');
      await main().locator('select[name="to"]').selectOption('earliest');
      await page.getByRole('button', { name: 'Reset offsets' }).click();
      await eventually(() => page.getByRole('alert').textContent()).toMatch(/^NonEmptyGroup: /);
    } finally {
      await consumer.disconnect();
    }
    await page.goto(`${server.url}/groups`);
    await eventually(() => main().locator('tbody tr').first().textContent()).toContain('billingEmpty0orders0');
    await check('groups');
    await main().getByRole('link', { name: 'billing' }).click();
    await page.waitForURL(`${server.url}/groups/billing`);
    await main().locator('select[name="to"]').selectOption('earliest');
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('table', { name: 'Reset preview' });
    await eventually(() => preview.locator('tbody tr').allTextContents()).toEqual(['orders030', 'orders110']);
    expect(await page.getByTestId('total-lag').textContent()).toBe('0');
    await page.getByRole('button', { name: 'Reset offsets' }).click();
    await eventually(() => page.getByTestId('total-lag').textContent()).toBe('4');
  });

  it('lists transactional producers', async () => {
    const producer = t.kafkaless.producer({ 'transactional.id': 'invoicing' });
    const txn = await producer.transaction();
    await txn.send({ topic: 'orders', messages: [{ value: 'in a transaction', partition: 1 }] });
    await txn.commit();
    await producer.disconnect();
    await page.goto(`${server.url}/transactions`);
    await eventually(() => main().locator('tbody tr th').allTextContents()).toEqual(['invoicing']);
    await check('transactions');
  });

  it('shows the last maintenance runs and the collector\'s candidates, and a partition rolled into a segment, then an aggregated run', async () => {
    await t.kafkaless.admin().alterConfigs({ topics: [{ topic: 'orders', configEntries: [{ name: 'segment.ms', value: '1' }] }] });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await call(t.transport, 'maintenance', { action: 'run' });
    await page.goto(`${server.url}/maintenance`);
    const runs = main().getByRole('table', { name: 'Last maintenance runs' });
    await eventually(() => runs.locator('tbody tr th').allTextContents()).toEqual(['Transaction recovery', 'Segment rolling', 'Retention', 'Log compaction', 'Garbage collection', 'Member expiry']);
    expect(await runs.locator('tbody tr').nth(1).textContent()).toContain('segments written 2');
    expect(Number(await page.getByTestId('unreferenced').textContent())).toBeGreaterThan(0);
    await check('maintenance');
    // Three requests in one linger window of an aggregating client (as the gateway's): one commit, one index item of 3 batches.
    const aggregating = t.another({ aggregation: { lingerMs: 150, maxBytes: 4 * 1024 * 1024 } });
    const batches = await Promise.all(['together-a', 'together-b', 'together-c'].map((v) => batchBase64([v])));
    await Promise.all(batches.map((batch) => produceRaw(aggregating.transport, 'orders', 0, batch)));
    await page.goto(`${server.url}/topics/orders/partitions/0`);
    await eventually(() => page.getByRole('table', { name: 'Index items' }).locator('tbody tr').allTextContents()).toEqual([
      expect.stringContaining('segment'),
      expect.stringContaining('aggregated run of 3 batches'),
    ]);
    await check('partition-segment');
  });

  it("runs under its own Content-Security-Policy, with nothing refused and no script error", async () => {
    const strict = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const plain = await strict.newPage();
      const problems: string[] = [];
      plain.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      plain.on('pageerror', (error) => problems.push(error.message));
      await plain.goto(`${server.url}/topics/orders/messages?partition=0`);
      await eventually(() => plain.locator('table.messages tbody tr').count()).toBe(6);
      await plain.goto(`${server.url}/groups/billing`);
      await eventually(() => plain.getByRole('img', { name: /^Lag over time/ }).locator('canvas').count()).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await strict.close();
    }
  });

  it('answers a missing topic and an unknown page with the 404 view and status', async () => {
    expect((await page.goto(`${server.url}/topics/orders/partitions/7`))?.status()).toBe(404);
    await eventually(() => main().locator('h1').textContent()).toBe('Not found');
    const missing = await page.goto(`${server.url}/topics/no-such-topic`);
    expect(missing?.status()).toBe(404);
    await eventually(() => main().locator('h1').textContent()).toBe('Not found');
    expect(await main().textContent()).toContain('UnknownTopicOrPartition');
    await check('not-found');
    const unknown = await page.goto(`${server.url}/no/such/page`);
    expect(unknown?.status()).toBe(404);
    await eventually(() => main().locator('h1').textContent()).toBe('Not found');
  });

  it('shows the overview, and searches and deletes a topic after confirmation', async () => {
    const producer = t.kafkaless.producer();
    await producer.send({ topic: 'orders', messages: [{ value: 'after the roll', partition: 0 }] });
    await producer.disconnect();
    await page.goto(`${server.url}/`);
    await eventually(() => main().locator('.card').first().textContent()).toBe('Topics1');
    // The aggregated commit and this one; those before the roll are in segments now: counted apart, and said so.
    expect(await page.getByTestId('commits-hour').textContent()).toBe('2');
    expect(await main().textContent()).toContain('were rolled into segments since');
    expect(await page.getByTestId('cost-per-day').textContent()).toMatch(/^\$/);
    expect(await page.getByRole('table', { name: 'Cost per topic' }).locator('tbody tr th').allTextContents()).toEqual(['orders']);
    await check('overview');
    await page.goto(`${server.url}/topics?q=ord`);
    await eventually(() => main().locator('tbody tr th').allTextContents()).toEqual(['orders']);
    await page.getByLabel('Search topics').fill('zzz');
    await eventually(() => main().locator('tbody tr').textContent()).toContain('No topic contains');
    expect(page.url()).toBe(`${server.url}/topics?q=zzz`);
    await page.getByLabel('Search topics').fill('');
    await check('topics');
    await page.getByRole('button', { name: 'Delete orders' }).click();
    const confirm = page.getByRole('button', { name: 'Delete orders', exact: true }).last();
    expect(await page.getByRole('dialog').getByRole('button', { name: 'Delete orders' }).isDisabled()).toBe(true);
    await page.getByLabel('Topic name').fill('orders');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete orders' }).click();
    await eventually(() => page.getByRole('status').textContent()).toBe('Deleted topic orders.');
    expect(confirm).toBeDefined();
    expect(await t.kafkaless.admin().listTopics()).toEqual([]);
  });
});
