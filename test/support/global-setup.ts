/**
 * vitest globalSetup: the AWS services every test file shares. When the
 * environment names endpoints (`AWS_ENDPOINT_URL`, or both
 * `AWS_ENDPOINT_URL_DYNAMODB` and `AWS_ENDPOINT_URL_S3`, e.g. LocalStack at
 * http://localhost:4566) they are used and nothing is started; otherwise
 * ephemeral local services (DynamoDB Local, s3rver) run for the whole run.
 * Also a folder for the run, where test files share what is costly to make
 * (test/support/shared-assembly.ts), emptied on each rerun in watch mode and
 * removed at the end.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { endpointsFromEnv, LOCAL_REGION } from '../../lib/aws/clients.js';
import { startLocalServices } from '../../lib/local/services.js';
import './provided.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = mkdtempSync(join(tmpdir(), 'kafkaless-test-run-'));
  project.provide('kafkalessRunDir', runDir);
  const removeRunDir = (): void => rmSync(runDir, { recursive: true, force: true });
  // In watch mode each rerun is a run of its own: nothing made for the last one (from older sources) is reused.
  project.onTestsRerun(() => {
    removeRunDir();
    mkdirSync(runDir);
  });
  const named = endpointsFromEnv();
  if (named.dynamodb !== undefined && named.s3 !== undefined) {
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? LOCAL_REGION;
    project.provide('kafkalessAws', { dynamodb: named.dynamodb, s3: named.s3, region, external: true });
    return async () => removeRunDir();
  }
  const services = await startLocalServices({ mode: 'ephemeral' }).catch((error: unknown) => {
    removeRunDir();
    throw error;
  });
  project.provide('kafkalessAws', {
    dynamodb: services.dynamodbEndpoint,
    s3: services.s3Endpoint,
    region: services.region,
    external: false,
  });
  return async () => {
    await services.stop();
    removeRunDir();
  };
}
