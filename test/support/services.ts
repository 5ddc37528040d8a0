/**
 * Test helpers over the services the global setup provides: AWS clients
 * pointed at them, and fresh tables and buckets per test file.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { createAwsClients, LOCAL_CREDENTIALS, type AwsClients } from '../../lib/aws/clients.js';
import type { TableRole } from '../../lib/names.js';
import { ensureBucket, provisionTables, tableNamesForPrefix } from '../../lib/local/provision.js';
import type { TestAwsEndpoints } from './provided.js';

export type { TestAwsEndpoints } from './provided.js';

/** The endpoints of this run's services. */
export function testAwsEndpoints(): TestAwsEndpoints {
  const endpoints = inject('kafkalessAws') as TestAwsEndpoints | undefined;
  if (endpoints === undefined) {
    throw new Error("No test services: add globalSetup: ['test/support/global-setup.ts'] to the vitest config.");
  }
  return endpoints;
}

/** DynamoDB and S3 clients for this run's services. Destroy them when done. */
export function testAwsClients(): AwsClients {
  const endpoints = testAwsEndpoints();
  return createAwsClients({
    region: endpoints.region,
    endpoints: { dynamodb: endpoints.dynamodb, s3: endpoints.s3 },
    ...credentialsFor(endpoints),
  });
}

/** A fresh set of the tables of names.ts, under a random prefix. */
export async function createTestTables(): Promise<Record<TableRole, string>> {
  const names = tableNamesForPrefix(`test-${randomUUID().slice(0, 8)}`);
  const { dynamodb, s3 } = testAwsClients();
  try {
    await provisionTables(dynamodb, names);
  } finally {
    dynamodb.destroy();
    s3.destroy();
  }
  return names;
}

/** A fresh, empty bucket; returns its name. */
export async function createTestBucket(): Promise<string> {
  const bucketName = `kafkaless-test-${randomUUID().slice(0, 8)}`;
  const { dynamodb, s3 } = testAwsClients();
  try {
    await ensureBucket(s3, bucketName);
  } finally {
    dynamodb.destroy();
    s3.destroy();
  }
  return bucketName;
}

/** Local services accept any credentials; external ones use the SDK's own chain when it has keys. */
function credentialsFor(endpoints: TestAwsEndpoints): { credentials?: AwsCredentialIdentity } {
  if (endpoints.external && process.env.AWS_ACCESS_KEY_ID !== undefined) return {};
  // A copy: the SDK writes attribution fields onto the credentials object.
  return { credentials: { ...LOCAL_CREDENTIALS } };
}
