/**
 * `kafkaless local` runs the subscriptions of the synthesized app: a stack
 * with the construct, a function of the app's own (bundled by CDK) and a
 * subscription; DynamoDB Local's stream on the partitions table drives the
 * trigger function, which invokes the app's function, served like the
 * stack's own. Records produced are delivered in order per partition; a
 * poison record is retried, then lands in the dead-letter topic.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../lib/aws/clients.js';
import { Kafkaless as Client } from '../../lib/client/kafkaless.js';
import { LambdaTransport } from '../../lib/client/transports/lambda-transport.js';
import { ASSET_METADATA_CONTEXT } from '../../lib/infra/app.js';
import { Kafkaless } from '../../lib/infra/kafkaless.js';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.js';
import { markBundlesCommonJsScope } from '../../lib/local/synth-stack.js';
import { DEAD_LETTER_HEADERS } from '../../lib/triggers/index.js';
import { fetchRecords } from '../../lib/triggers/partition-log.js';
import { subscriptionLag } from '../../lib/triggers/subscription-lag.js';
import { waitFor } from '../groups/wait-for.js';

const REPO = resolve(import.meta.dirname, '../..');
const TOPIC = 'orders';
const DLT = 'orders-dlt';

let dir: string;
let stack: LocalStack;
let client: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafkaless-subscription-'));
  const app = new App({ outdir: join(dir, 'cdk.out'), context: { [ASSET_METADATA_CONTEXT]: true, 'aws:cdk:enable-path-metadata': true } });
  const cdkStack = new Stack(app, 'Subs');
  const kafkaless = new Kafkaless(cdkStack, 'Kafkaless', { projectRoot: REPO });
  const recorder = new NodejsFunction(cdkStack, 'Recorder', {
    entry: join(REPO, 'test/triggers/fixtures/recording-subscriber.ts'),
    runtime: Runtime.NODEJS_24_X,
    timeout: Duration.seconds(10),
    environment: { LOG_DIR: dir },
    projectRoot: REPO,
    depsLockFilePath: join(REPO, 'package-lock.json'),
    bundling: { format: OutputFormat.ESM, target: 'node20', forceDockerBundling: false },
  });
  kafkaless.subscribe(recorder, { topics: [TOPIC], startingPosition: 'TRIM_HORIZON', batchSize: 10, retryAttempts: 1, bisectBatchOnError: true, onFailure: { topic: DLT } });
  const assembly = app.synth();
  markBundlesCommonJsScope(assembly.directory);
  stack = await startLocalStack({
    projectRoot: dir,
    mode: 'ephemeral',
    assembly: { stackName: 'Subs', template: assembly.getStackByName('Subs').template as unknown, assemblyDir: assembly.directory },
  });
  const { state } = stack;
  client = new Client({ transport: new LambdaTransport({ functions: state.functions, region: state.region, endpoint: state.endpoints.lambda, credentials: { ...LOCAL_CREDENTIALS } }) });
}, 600_000);

afterAll(async () => {
  await client?.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Delivery {
  readonly source: string;
  readonly offsets: number[];
  readonly values: string[];
  readonly failed: boolean;
}

function deliveries(partition: number): Delivery[] {
  const file = join(dir, `${TOPIC}-${partition}.jsonl`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Delivery);
}

const delivered = (partition: number): string[] => deliveries(partition).filter((d) => !d.failed).flatMap((d) => d.values);

describe('a subscription on the local stack', () => {
  it('serves the app function and the trigger beside the stack functions', () => {
    const names = stack.template.functions.map((f) => f.functionName);
    expect(names).toEqual(expect.arrayContaining(['Subs-trigger', expect.stringMatching(/^Subs-Recorder/)]));
    expect(stack.template.streamMappings.map((m) => m.functionName)).toEqual(['Subs-trigger']);
  });

  it('delivers every record in order within its partition, and dead-letters the poison record after its retry', async () => {
    const admin = client.admin();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }, { topic: DLT, numPartitions: 1 }] });
    const producer = client.producer();
    await producer.send({ topic: TOPIC, messages: ['a0', 'a1', 'poison', 'a3', 'a4'].map((value) => ({ value, partition: 0 })) });
    await producer.send({ topic: TOPIC, messages: ['b0', 'b1', 'b2'].map((value) => ({ value, partition: 1 })) });
    await producer.send({ topic: TOPIC, messages: [{ value: 'b3', partition: 1 }] });
    await producer.disconnect();

    await waitFor(() => delivered(0).length === 4 && delivered(1).length === 4, 'every good record delivered', 180_000, 200);
    expect(delivered(0)).toEqual(['a0', 'a1', 'a3', 'a4']);
    expect(delivered(1)).toEqual(['b0', 'b1', 'b2', 'b3']);
    expect(deliveries(0).every((d) => d.source === 'aws:kafka')).toBe(true);
    // The poison record was tried alone (after bisection), then once more.
    expect(deliveries(0).filter((d) => d.failed && d.values.length === 1).map((d) => d.values)).toEqual([['poison'], ['poison']]);

    const { transport } = client;
    let dlt: Awaited<ReturnType<typeof fetchRecords>> | undefined;
    await waitFor(async () => {
      dlt = await fetchRecords(transport, { topic: DLT, partition: 0 }, 0, 100);
      return dlt.kind === 'records' && dlt.records.length === 1;
    }, 'the poison record in the dead-letter topic', 60_000, 200);
    if (dlt?.kind !== 'records') throw new Error('no dead-letter records');
    const [record] = dlt.records;
    expect(record!.value?.toString()).toBe('poison');
    expect(record!.headers.find((h) => h.key === DEAD_LETTER_HEADERS.offset)?.value?.toString()).toBe('2');

    const [committed] = await admin.fetchOffsets({ groupId: 'kafkaless-Recorder', topics: [TOPIC] });
    expect(committed?.partitions.map((p) => [p.partition, Number(p.offset)])).toEqual([
      [0, 5],
      [1, 4],
    ]);
    // What `kafkaless subscriptions` shows: the subscription, from the state file, caught up.
    expect(stack.state.subscriptions).toEqual([{ name: 'Recorder', groupId: 'kafkaless-Recorder', topics: [TOPIC], functionName: expect.stringMatching(/^Subs-Recorder/) }]);
    const lag = await subscriptionLag(admin, stack.state.subscriptions![0]!);
    expect(lag.map((l) => [l.partition, l.committed, l.logEnd, l.lag])).toEqual([
      [0, 5, 5, 0],
      [1, 4, 4, 0],
    ]);
  }, 300_000);
});
