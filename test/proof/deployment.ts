/**
 * Where a proof run works: service endpoints, a fresh set of tables and a
 * bucket, and AWS clients for them (clean ones, or ones that inject faults).
 */
import { randomUUID } from 'node:crypto';
import { createAwsClients, LOCAL_CREDENTIALS, type AwsClients } from '../../lib/aws/clients.js';
import { AwsFaultSwitch, installAwsFaults } from '../../lib/aws/fault-middleware.js';
import type { MaintenanceOptions } from '../../lib/broker/maintenance/deps.js';
import { EmbeddedTransport } from '../../lib/client/transports/embedded.js';
import { randomFaultInjector, seededRandom, type FaultCounts, type FaultPoint } from '../../lib/faults.js';
import { ensureBucket, provisionTables, tableNamesForPrefix } from '../../lib/local/provision.js';
import type { TableRole } from '../../lib/names.js';
import { deriveSeed } from './seeds.js';

export interface ServiceEndpoints {
  readonly dynamodb: string;
  readonly s3: string;
  readonly region: string;
  /** True for services the environment named (e.g. LocalStack): credentials come from the SDK's chain when set. */
  readonly external?: boolean;
}

export interface Deployment {
  readonly endpoints: ServiceEndpoints;
  readonly tables: Record<TableRole, string>;
  readonly bucket: string;
}

export function awsClients(endpoints: ServiceEndpoints, maxAttempts?: number): AwsClients {
  const useChain = endpoints.external === true && process.env.AWS_ACCESS_KEY_ID !== undefined;
  return createAwsClients({
    region: endpoints.region,
    endpoints: { dynamodb: endpoints.dynamodb, s3: endpoints.s3 },
    ...(useChain ? {} : { credentials: { ...LOCAL_CREDENTIALS } }),
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
  });
}

/** Fresh tables and bucket under a random prefix. */
export async function createDeployment(endpoints: ServiceEndpoints, prefix = 'proof'): Promise<Deployment> {
  const id = randomUUID().slice(0, 8);
  const tables = tableNamesForPrefix(`${prefix}-${id}`);
  const bucket = `kafkaless-${prefix}-${id}`;
  const clients = awsClients(endpoints);
  try {
    await Promise.all([provisionTables(clients.dynamodb, tables), ensureBucket(clients.s3, bucket)]);
  } finally {
    destroy(clients);
  }
  return { endpoints, tables, bucket };
}

export function destroy(clients: AwsClients): void {
  clients.dynamodb.destroy();
  clients.s3.destroy();
}

export interface FaultyTransportOptions {
  /** Seeds this transport's own random streams (broker points, DynamoDB calls, S3 calls, the broker's randomness). */
  readonly seed: number;
  readonly awsFaults: AwsFaultSwitch;
  readonly pointRates: Readonly<Partial<Record<FaultPoint, number>>>;
  readonly counts: FaultCounts;
  /** The SDK's own attempts per call: 1 hands every AWS fault to our code. */
  readonly sdkMaxAttempts: number;
  readonly maintenance?: Partial<MaintenanceOptions>;
}

export interface FaultyTransport {
  readonly transport: EmbeddedTransport;
  close(): void;
}

/** An embedded broker of its own (its own warm caches) whose AWS calls and fault points fail at the given rates. */
export function faultyTransport(d: Deployment, o: FaultyTransportOptions): FaultyTransport {
  const clients = awsClients(d.endpoints, o.sdkMaxAttempts);
  installAwsFaults(clients.dynamodb, 'dynamodb', o.awsFaults, seededRandom(deriveSeed(o.seed, 'dynamodb')));
  installAwsFaults(clients.s3, 's3', o.awsFaults, seededRandom(deriveSeed(o.seed, 's3')));
  const faults = randomFaultInjector({ rates: o.pointRates, random: seededRandom(deriveSeed(o.seed, 'points')), counts: o.counts, enabled: () => o.awsFaults.enabled });
  const random = seededRandom(deriveSeed(o.seed, 'broker'));
  const transport = new EmbeddedTransport({ dynamodb: clients.dynamodb, s3: clients.s3, tables: d.tables, bucket: d.bucket, random, faults, ...(o.maintenance !== undefined ? { maintenance: o.maintenance } : {}) });
  return { transport, close: () => destroy(clients) };
}

export interface CleanTransport {
  readonly transport: EmbeddedTransport;
  readonly clients: AwsClients;
  close(): void;
}

/** An embedded broker with no faults, for setup and for reading the final state. */
export function cleanTransport(d: Deployment): CleanTransport {
  const clients = awsClients(d.endpoints);
  const transport = new EmbeddedTransport({ dynamodb: clients.dynamodb, s3: clients.s3, tables: d.tables, bucket: d.bucket });
  return { transport, clients, close: () => destroy(clients) };
}
