/**
 * `npm start` in examples/cdk-app: `kafkaless local` finds the app's
 * cdk.json from its folder, synthesizes that app (its own command, its own
 * stack) and serves it. The app is laid out as a user has it after
 * `npm install` (its node_modules linking this checkout and the CDK), then
 * an order produced by the app's producer function reaches its subscribed
 * enricher, whose output lands exactly once in orders-enriched.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../lib/aws/clients.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import { LambdaTransport } from '../../lib/client/transports/lambda-transport.js';
import { appProjectAt } from '../../lib/local/app-project.js';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.js';
import { waitFor } from '../groups/wait-for.js';
import { readAll } from '../transactions/helpers.js';

const REPO = resolve(import.meta.dirname, '../..');
/** What `npm install` in the example puts in its node_modules that synthesis uses: this checkout as kafkaless, and the CDK's packages. */
const LINKED = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'esbuild', 'tsx'] as const;

let dir: string;
let appRoot: string;
let stack: LocalStack;
let client: Kafkaless;
let lambda: LambdaClient;

function layOutExample(): string {
  const root = join(dir, 'cdk-app');
  for (const entry of ['bin', 'lib', 'src', 'package.json', 'tsconfig.json', 'cdk.json']) cpSync(join(REPO, 'examples/cdk-app', entry), join(root, entry), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(REPO, join(root, 'node_modules/kafkaless'), 'dir');
  for (const name of LINKED) symlinkSync(join(REPO, 'node_modules', name), join(root, 'node_modules', name), 'dir');
  symlinkSync(join(REPO, 'node_modules/.bin'), join(root, 'node_modules/.bin'), 'dir');
  // NodejsFunction finds the project by its lock file.
  writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ name: 'kafkaless-example-cdk-app', lockfileVersion: 3, requires: true, packages: {} }));
  return root;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafkaless-example-'));
  appRoot = layOutExample();
  const app = appProjectAt(join(appRoot, 'src'), REPO);
  if (app === undefined) throw new Error('the example app was not found from its folder');
  stack = await startLocalStack({ projectRoot: app.root, mode: 'ephemeral', app });
  const { state } = stack;
  const common = { region: state.region, endpoint: state.endpoints.lambda, credentials: { ...LOCAL_CREDENTIALS } };
  client = new Kafkaless({ transport: new LambdaTransport({ functions: state.functions, ...common }) });
  lambda = new LambdaClient(common);
}, 600_000);

afterAll(async () => {
  lambda?.destroy();
  await client?.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the example app under kafkaless local', () => {
  it("is found from any folder of the app, and kafkaless's own stack is run from kafkaless's", () => {
    expect(appProjectAt(appRoot, REPO)).toMatchObject({ root: appRoot, command: 'npx tsx bin/app.ts' });
    expect(appProjectAt(REPO, REPO)).toBeUndefined();
    expect(appProjectAt(join(REPO, 'lib'), REPO)).toBeUndefined();
  });

  it('serves the app stack with its own functions, and the enricher subscribed exactly once', () => {
    const names = stack.template.functions.map((f) => f.functionName);
    expect(names).toEqual(expect.arrayContaining(['Orders-trigger', expect.stringMatching(/^Orders-OrderProducer/), expect.stringMatching(/^Orders-OrderEnricher/)]));
    expect(stack.state.subscriptions).toEqual([{ name: 'OrderEnricher', groupId: 'kafkaless-OrderEnricher', topics: ['orders'], functionName: expect.stringMatching(/^Orders-OrderEnricher/) }]);
  });

  it("delivers the producer function's orders to the enricher, whose output lands once each in orders-enriched", async () => {
    await client.admin().createTopics({ topics: ['orders', 'orders-enriched', 'orders-dlt'].map((topic) => ({ topic, numPartitions: 1 })) });
    const producer = stack.template.functions.find((f) => f.functionName.startsWith('Orders-OrderProducer'))!.functionName;
    const orders = [
      { orderId: 'o-1', total: 10 },
      { orderId: 'o-2', total: 25 },
    ];
    for (const order of orders) {
      const out = await lambda.send(new InvokeCommand({ FunctionName: producer, Payload: Buffer.from(JSON.stringify(order)) }));
      expect(out.FunctionError, Buffer.from(out.Payload ?? []).toString()).toBeUndefined();
    }
    let enriched: string[] = [];
    await waitFor(
      async () => {
        enriched = (await readAll(client, 'orders-enriched')).map((r) => r.value);
        return enriched.length >= orders.length;
      },
      'the enriched orders',
      120_000,
      200,
    );
    expect(enriched.map((v) => JSON.parse(v) as unknown)).toEqual([
      { orderId: 'o-1', total: 10, tax: 2 },
      { orderId: 'o-2', total: 25, tax: 5 },
    ]);
  }, 300_000);
});
