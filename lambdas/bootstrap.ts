/**
 * What every handler shares: its configuration and AWS clients, built once
 * per instance at module scope and reused across warm invocations.
 */
import { createDynamoDbClient, createS3Client } from '../lib/aws/clients.js';
import { createBrokerContext, type BrokerContext } from '../lib/broker/context.js';
import { loadRuntimeConfig } from '../lib/config/runtime-config.js';
import type { FunctionRole } from '../lib/names.js';

export function bootstrap(role: FunctionRole): BrokerContext {
  const config = loadRuntimeConfig(role);
  return createBrokerContext({
    dynamodb: createDynamoDbClient(),
    s3: createS3Client(),
    tables: config.tables,
    ...(config.bucket !== undefined ? { bucket: config.bucket } : {}),
  });
}
