/**
 * What every broker operation is given: AWS clients (injected, never created
 * here), the table and bucket names, and the clock and randomness (injected
 * so tests replay).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { NO_FAULTS, type FaultInjector } from '../faults.js';
import type { TableRole } from '../names.js';

export interface BrokerContext {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly tables: Readonly<Record<TableRole, string>>;
  readonly bucket: string;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** Uniform in [0, 1). */
  readonly random: () => number;
  /** Fault injection; off in production. */
  readonly faults: FaultInjector;
}

export interface BrokerContextOptions {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly tables: Readonly<Partial<Record<TableRole, string>>>;
  readonly bucket?: string;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly faults?: FaultInjector;
}

/**
 * Builds a context. A function is given only the tables it may use; reaching
 * for another one is a programming error, reported with the role's name.
 */
export function createBrokerContext(options: BrokerContextOptions): BrokerContext {
  const tables = new Proxy({ ...options.tables } as Record<TableRole, string>, {
    get(target, role: string) {
      const name = target[role as TableRole];
      if (name === undefined) throw new Error(`No table configured for role '${role}'`);
      return name;
    },
  });
  return {
    dynamodb: options.dynamodb,
    s3: options.s3,
    tables,
    get bucket(): string {
      if (options.bucket === undefined) throw new Error('No bucket configured');
      return options.bucket;
    },
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    faults: options.faults ?? NO_FAULTS,
  };
}
