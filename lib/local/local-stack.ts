/**
 * The whole system on one machine: the CDK app synthesized in-process,
 * DynamoDB Local and a local S3 holding exactly the tables and bucket the
 * template declares, and every function served on a local Lambda Invoke API
 * from the very bundles CDK built.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDynamoDbClient, createLambdaClient, createS3Client, LOCAL_CREDENTIALS, LOCAL_REGION } from '../aws/clients.js';
import { lambdaInvoker } from '../triggers/lambda-invoker.js';
import { wakeSubscriptions } from './subscription-wake.js';
import { runStreamMapping } from './stream-mapping.js';
import { LocalStreams } from './streams-api.js';
import { CONNECTOR_ENV, ENV, SUBSCRIPTIONS_ENV, type FunctionRole, type TableRole } from '../names.js';
import type { LocalConnector, LocalSubscription } from '../config/local-stack-state.js';
import { declaredConnector, parseConnectorConfig, type RawConnectorConfig } from '../connect/config/connector-config.js';
import { parseSubscriptions } from '../triggers/subscriptions.js';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { runBucketNotifications } from './bucket-notifications.js';
import { Kafkaless } from '../client/kafkaless.js';
import type { ConsoleServer } from '../console/console-server.js';
import type { KafkaGateway } from '../gateway/index.js';
import { startGatewayOverStack } from '../gateway/gateway-over-stack.js';
import { UserStore } from '../gateway/sasl/user-store.js';
import type { Users } from '../gateway/sasl/users-file.js';
import { assertPortFree } from './free-port.js';
import { startLambdaServer, type LambdaServer } from './lambda-server.js';
import { readyBanner } from './local-banner.js';
import {
  localStatePath,
  readLocalStackState,
  removeLocalStackState,
  writeLocalStackState,
  type LocalStackState,
} from './local-state.js';
import { provisionTemplate } from './provision.js';
import { DEFAULT_PORTS, LOCAL_DIR, startLocalServices, type LocalServices } from './services.js';
import type { AppProject } from './app-project.js';
import { provideRuntimeSdk } from './runtime-sdk.js';
import { synthesizeApp } from './synth-app.js';
import { synthesizeStack, type LocalAssembly } from './synth-stack.js';
import { readTemplate, type LocalTemplate } from './template.js';

export { readLocalStackState, localStatePath, type LocalStackState } from './local-state.js';
export type { LocalAssembly } from './synth-stack.js';

/** Kafka's own port: what Kafka clients try first. */
export const DEFAULT_KAFKA_PORT = 9092;

/** Where `kafkaless local` serves the web console. */
export const DEFAULT_CONSOLE_PORT = 8080;

export interface LocalStackOptions {
  readonly projectRoot: string;
  readonly mode: 'ephemeral' | 'persistent';
  /** @default 8767 when persistent, a free port when ephemeral */
  readonly lambdaPort?: number;
  /** @default 8765 when persistent, a free port when ephemeral */
  readonly dynamodbPort?: number;
  /** @default 8766 when persistent, a free port when ephemeral */
  readonly s3Port?: number;
  /** The Kafka gateway's port on 127.0.0.1; not served when omitted or 0. */
  readonly kafkaPort?: number;
  /** The web console's port on 127.0.0.1 (docs/CONSOLE.md); not served when omitted or 0. */
  readonly consolePort?: number;
  /** The gateway requires SASL authentication against these users (a users file, lib/gateway/sasl/users-file.ts). */
  readonly kafkaUsers?: Users;
  /** Progress lines; quiet when omitted. */
  readonly log?: (line: string) => void;
  /** A stack synthesized elsewhere; by default the project's CDK app is synthesized. */
  readonly assembly?: LocalAssembly;
  /** An app of your own (its cdk.json) to synthesize instead of kafkaless's own stack. */
  readonly app?: AppProject;
  /** With `app`: the stack to serve, when more than one holds the construct. */
  readonly stackName?: string;
}

export interface LocalStack {
  readonly state: LocalStackState;
  readonly template: LocalTemplate;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  if (options.mode === 'persistent') assertNotRunning(options.projectRoot);
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const assembly = await assemblyFor(options, cleanups, log);
    provideRuntimeSdk(assembly.assemblyDir);
    const template = readTemplate(assembly.template, {
      stackName: assembly.stackName,
      assemblyDir: assembly.assemblyDir,
      region: LOCAL_REGION,
    });
    const services = await startServices(options, log);
    cleanups.push(() => services.stop());
    await provision(services, template, log);
    const lambda = await serveFunctions(options, services, template, log);
    cleanups.push(() => lambda.close());
    const mappings = runStreamMappings(services, template, lambda, log);
    cleanups.push(() => mappings());
    const notifications = notifyBuckets(services, template, lambda);
    cleanups.push(async () => notifications());
    const kafka = await serveKafka(options, services, template, log);
    if (kafka !== undefined) cleanups.push(() => kafka.close());
    const webConsole = await serveConsole(options, services, template, lambda, log);
    if (webConsole !== undefined) cleanups.push(() => webConsole.close());
    const state = stateOf(template, services, lambda, kafka, webConsole);
    if (options.mode === 'persistent') recordState(options.projectRoot, state, cleanups);
    return { state, template, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** `kafkaless local`: a persistent stack in the foreground until SIGINT or SIGTERM. */
export async function runLocalStack(projectRoot: string, options: { kafkaPort?: number; consolePort?: number; kafkaUsers?: Users; app?: AppProject; stackName?: string } = {}): Promise<void> {
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const stack = await startLocalStack({
    projectRoot,
    mode: 'persistent',
    log,
    kafkaPort: options.kafkaPort ?? DEFAULT_KAFKA_PORT,
    consolePort: options.consolePort ?? DEFAULT_CONSOLE_PORT,
    ...(options.kafkaUsers !== undefined ? { kafkaUsers: options.kafkaUsers } : {}),
    ...(options.app !== undefined ? { app: options.app } : {}),
    ...(options.stackName !== undefined ? { stackName: options.stackName } : {}),
  });
  log('');
  log(readyBanner(stack.state, join(projectRoot, LOCAL_DIR)));
  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) process.exit(signal === 'SIGINT' ? 130 : 143);
      stopping = true;
      log('Stopping the local stack...');
      void stack.stop().then(() => {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        log('Stopped.');
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function assertNotRunning(projectRoot: string): void {
  const running = readLocalStackState(projectRoot);
  if (running === undefined) return;
  const { dynamodb, s3, lambda } = running.endpoints;
  throw new Error(
    `A local stack is already running for ${projectRoot} (pid ${running.pid}, started ${running.startedAt}; ` +
      `Lambda ${lambda}, DynamoDB ${dynamodb}, S3 ${s3}). ` +
      `Stop it with Ctrl+C in its terminal or \`kill ${running.pid}\`, then start again. ` +
      `State file: ${localStatePath(projectRoot)}`,
  );
}

async function assemblyFor(
  options: LocalStackOptions,
  cleanups: Array<() => Promise<void>>,
  log: (line: string) => void,
): Promise<LocalAssembly> {
  if (options.assembly !== undefined) return options.assembly;
  let outdir = join(options.projectRoot, LOCAL_DIR, 'cdk.out');
  if (options.mode === 'ephemeral') {
    const temporary = await mkdtemp(join(tmpdir(), 'kafkaless-cdk-'));
    cleanups.push(() => rm(temporary, { recursive: true, force: true }));
    outdir = temporary;
  }
  if (options.app !== undefined) {
    log(`Synthesizing the CDK app of ${options.app.root} (${options.app.command}) into ${outdir} ...`);
    return synthesizeApp(options.app, { outdir, region: LOCAL_REGION, ...(options.stackName !== undefined ? { stackName: options.stackName } : {}) });
  }
  log(`Synthesizing the CDK app into ${outdir} ...`);
  return synthesizeStack(outdir);
}

async function startServices(options: LocalStackOptions, log: (line: string) => void): Promise<LocalServices> {
  log('Starting DynamoDB Local and the S3 server ...');
  if (options.mode === 'ephemeral') return startLocalServices({ mode: 'ephemeral' });
  return startLocalServices({
    mode: 'persistent',
    dataDir: options.projectRoot,
    ...(options.dynamodbPort !== undefined ? { dynamodbPort: options.dynamodbPort } : {}),
    ...(options.s3Port !== undefined ? { s3Port: options.s3Port } : {}),
  });
}

async function provision(services: LocalServices, template: LocalTemplate, log: (line: string) => void): Promise<void> {
  log(`Provisioning ${template.tables.length} tables and ${template.buckets.length} bucket(s) ...`);
  const common = { region: services.region, credentials: { ...LOCAL_CREDENTIALS } };
  const ddb = createDynamoDbClient({ ...common, endpoints: { dynamodb: services.dynamodbEndpoint } });
  const s3 = createS3Client({ ...common, endpoints: { s3: services.s3Endpoint } });
  try {
    await provisionTemplate(ddb, s3, template);
  } finally {
    ddb.destroy();
    s3.destroy();
  }
}

async function serveFunctions(
  options: LocalStackOptions,
  services: LocalServices,
  template: LocalTemplate,
  log: (line: string) => void,
): Promise<LambdaServer> {
  const port = options.mode === 'persistent' ? (options.lambdaPort ?? DEFAULT_PORTS.lambda) : (options.lambdaPort ?? 0);
  if (port !== 0) await assertPortFree(port, 'the local Lambda server');
  log(`Serving ${template.functions.length} functions ...`);
  const logLevel = process.env[ENV.logLevel];
  return startLambdaServer({
    port,
    region: services.region,
    endpoints: { dynamodb: services.dynamodbEndpoint, s3: services.s3Endpoint },
    functions: template.functions.map((fn) => ({
      name: fn.functionName,
      codeDir: fn.codeDir,
      handler: fn.handler,
      timeoutSeconds: fn.timeoutSeconds,
      memorySizeMb: fn.memorySizeMb,
      environment: fn.environment,
    })),
    ...(logLevel !== undefined && logLevel !== '' ? { environmentOverrides: { [ENV.logLevel]: logLevel } } : {}),
    ...(logLevel === 'debug' ? { logDebug: log } : {}),
  });
}

/** The template's stream event source mappings (the subscriptions' trigger), read from DynamoDB Local's streams. */
function runStreamMappings(services: LocalServices, template: LocalTemplate, lambda: LambdaServer, log: (line: string) => void): () => Promise<void> {
  if (template.streamMappings.length === 0) return async () => undefined;
  log(`Running ${template.streamMappings.length} stream event source mapping(s) ...`);
  const common = { region: services.region, credentials: { ...LOCAL_CREDENTIALS } };
  const ddb = createDynamoDbClient({ ...common, endpoints: { dynamodb: services.dynamodbEndpoint } });
  const client = createLambdaClient({ ...common, endpoints: { lambda: lambda.endpoint } });
  const streams = new LocalStreams(services.dynamodbEndpoint, ddb);
  const running = template.streamMappings.map((mapping) =>
    runStreamMapping({ mapping, streams, region: services.region, invoke: lambdaInvoker(client), log: (line) => process.stderr.write(`${line}\n`) }),
  );
  // As the stack's subscriptions resource does on a deploy: subscriptions start on the records already there.
  const trigger = template.functions.find((fn) => fn.role === 'trigger');
  if (trigger !== undefined) {
    void wakeSubscriptions(lambdaInvoker(client), trigger.functionName).catch((err: unknown) => {
      process.stderr.write(`waking the subscriptions failed; they start at their next append: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  }
  return async () => {
    await Promise.all(running.map((r) => r.stop()));
    ddb.destroy();
    client.destroy();
  };
}

/** The template's bucket notifications (an S3 source connector's, say), from the local S3's events. */
function notifyBuckets(services: LocalServices, template: LocalTemplate, lambda: LambdaServer): () => void {
  const notifications = template.bucketNotifications ?? [];
  if (notifications.length === 0) return () => undefined;
  const client = createLambdaClient({ region: services.region, credentials: { ...LOCAL_CREDENTIALS }, endpoints: { lambda: lambda.endpoint } });
  const stop = runBucketNotifications({
    notifications,
    onS3Event: (listener) => services.onS3Event(listener),
    invokeAsync: async (functionName, payload) => {
      await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(payload) }));
    },
    log: (line) => process.stderr.write(`${line}\n`),
  });
  return () => {
    stop();
    client.destroy();
  };
}

/** The Kafka gateway over the stack's tables and bucket, running the broker in this process. */
async function serveKafka(options: LocalStackOptions, services: LocalServices, template: LocalTemplate, log: (line: string) => void): Promise<KafkaGateway | undefined> {
  const port = options.kafkaPort ?? 0;
  if (port === 0) return undefined;
  await assertPortFree(port, 'the Kafka gateway');
  log(`Serving the Kafka protocol on 127.0.0.1:${port}${options.kafkaUsers !== undefined ? ` (SASL: ${options.kafkaUsers.size} users)` : ''} ...`);
  const tables: Partial<Record<TableRole, string>> = {};
  for (const table of template.tables) if (table.role !== undefined) tables[table.role] = table.tableName;
  const bucket = logBucketOf(template);
  const aws = { region: services.region, credentials: { ...LOCAL_CREDENTIALS }, endpoints: { dynamodb: services.dynamodbEndpoint, s3: services.s3Endpoint } };
  return startGatewayOverStack({ aws, tables, ...(bucket !== undefined ? { bucket } : {}) }, { port, ...(options.kafkaUsers !== undefined ? { sasl: { users: new UserStore(options.kafkaUsers) } } : {}) });
}

/**
 * The web console over the stack's functions, called through the Lambda API
 * as any client of the stack would; the client, its Lambda client and the
 * server close together.
 */
async function serveConsole(
  options: LocalStackOptions,
  services: LocalServices,
  template: LocalTemplate,
  lambda: LambdaServer,
  log: (line: string) => void,
): Promise<ConsoleServer | undefined> {
  const port = options.consolePort ?? 0;
  if (port === 0) return undefined;
  await assertPortFree(port, 'the web console');
  log(`Serving the web console on http://127.0.0.1:${port} ...`);
  const functions = functionNamesOf(template);
  const lambdaClient = new LambdaClient({ region: services.region, endpoint: lambda.endpoint, credentials: { ...LOCAL_CREDENTIALS }, maxAttempts: 1 });
  const kafkaless = new Kafkaless({ functions, lambdaClient });
  const { startConsole } = await import('../console/console-server.js');
  try {
    const server = await startConsole({ kafkaless, port });
    return {
      ...server,
      async close() {
        await server.close();
        await kafkaless.close();
        lambdaClient.destroy();
      },
    };
  } catch (error) {
    await kafkaless.close();
    lambdaClient.destroy();
    throw error;
  }
}

function stateOf(template: LocalTemplate, services: LocalServices, lambda: LambdaServer, kafka?: KafkaGateway, webConsole?: ConsoleServer): LocalStackState {
  const functions = functionNamesOf(template);
  const tables: Partial<Record<TableRole, string>> = {};
  for (const table of template.tables) if (table.role !== undefined) tables[table.role] = table.tableName;
  const bucket = logBucketOf(template);
  const subscriptions = subscriptionsOf(template);
  const connectors = connectorsOf(template);
  return {
    ...(subscriptions.length > 0 ? { subscriptions } : {}),
    ...(connectors.length > 0 ? { connectors } : {}),
    pid: process.pid,
    startedAt: new Date().toISOString(),
    region: services.region,
    endpoints: {
      dynamodb: services.dynamodbEndpoint,
      s3: services.s3Endpoint,
      lambda: lambda.endpoint,
      ...(kafka !== undefined ? { kafka: `${kafka.host}:${kafka.port}` } : {}),
      ...(webConsole !== undefined ? { console: webConsole.url } : {}),
    },
    functions,
    tables,
    ...(bucket !== undefined ? { bucket } : {}),
  };
}

function functionNamesOf(template: LocalTemplate): Partial<Record<FunctionRole, string>> {
  const functions: Partial<Record<FunctionRole, string>> = {};
  for (const fn of template.functions) if (fn.role !== undefined) functions[fn.role] = fn.functionName;
  return functions;
}

/** The subscriptions the trigger function is given, for the CLI (`kafkaless subscriptions`). */
function subscriptionsOf(template: LocalTemplate): LocalSubscription[] {
  const json = template.functions.find((fn) => fn.role === 'trigger')?.environment[SUBSCRIPTIONS_ENV];
  if (json === undefined) return [];
  return parseSubscriptions(json).map((s) => ({ name: s.name, groupId: s.groupId, topics: [...s.topics], functionName: s.functionName }));
}

/** The connectors of the template: the functions given a connector's config, for the CLI (`kafkaless connect`). */
function connectorsOf(template: LocalTemplate): LocalConnector[] {
  return template.functions.flatMap((fn) => {
    const json = fn.environment[CONNECTOR_ENV];
    if (json === undefined) return [];
    return [declaredConnector(parseConnectorConfig(JSON.parse(json) as RawConnectorConfig), fn.functionName)];
  });
}

/** The bucket functions are given as KAFKALESS_BUCKET, else the template's only bucket. */
function logBucketOf(template: LocalTemplate): string | undefined {
  const named = template.functions.map((fn) => fn.environment[ENV.bucket]).find((name) => name !== undefined);
  if (named !== undefined) return named;
  return template.buckets.length === 1 ? template.buckets[0]?.bucketName : undefined;
}

/** Writes the state file, and removes it on stop or when the process exits. */
function recordState(projectRoot: string, state: LocalStackState, cleanups: Array<() => Promise<void>>): void {
  writeLocalStackState(projectRoot, state);
  const onExit = (): void => removeLocalStackState(projectRoot);
  process.once('exit', onExit);
  cleanups.push(async () => {
    process.removeListener('exit', onExit);
    removeLocalStackState(projectRoot);
  });
}
