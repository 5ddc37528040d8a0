/**
 * A kafkaless in this process against the test services: fresh tables and
 * bucket, the embedded transport, and the AWS clients to read state back.
 */
import type { AwsClients } from '../../lib/aws/clients.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import { EmbeddedTransport, type EmbeddedTransportOptions } from '../../lib/client/transports/embedded.js';
import type { TableRole } from '../../lib/names.js';
import { createTestBucket, createTestTables, testAwsClients } from './services.js';

export interface TestKafkaless {
  readonly kafkaless: Kafkaless;
  readonly transport: EmbeddedTransport;
  readonly clients: AwsClients;
  readonly tables: Record<TableRole, string>;
  readonly bucket: string;
  /** Another client on the same tables (e.g. a second "instance" with its own caches or faults). */
  another(options?: Partial<EmbeddedTransportOptions>): Kafkaless;
  close(): Promise<void>;
}

export async function createTestKafkaless(options: Partial<EmbeddedTransportOptions> = {}): Promise<TestKafkaless> {
  const [tables, bucket] = await Promise.all([createTestTables(), createTestBucket()]);
  const clients = testAwsClients();
  const make = (extra: Partial<EmbeddedTransportOptions>) =>
    new EmbeddedTransport({ dynamodb: clients.dynamodb, s3: clients.s3, tables, bucket, ...options, ...extra });
  const transport = make({});
  const others: Kafkaless[] = [];
  return {
    kafkaless: new Kafkaless({ transport }),
    transport,
    clients,
    tables,
    bucket,
    another(extra = {}) {
      const k = new Kafkaless({ transport: make(extra) });
      others.push(k);
      return k;
    },
    async close() {
      await Promise.all(others.map((k) => k.close()));
      clients.dynamodb.destroy();
      clients.s3.destroy();
    },
  };
}
