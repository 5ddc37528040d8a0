/** What every API handler is given: the client of the stack the console looks at, and one producer shared by its requests. */
import type { Kafkaless } from '../client/kafkaless.js';
import type { Producer } from '../client/producer/producer.js';
import type { StorageInspection } from '../client/storage-inspection.js';
import type { LagHistory } from './lag-history.js';

export interface ConsoleContext {
  readonly kafkaless: Kafkaless;
  /** The console's producer, made on first use and disconnected when the console closes. */
  producer(): Producer;
  /** The stack's S3 and DynamoDB state, through the maintenance function's read-only requests. */
  readonly inspection: StorageInspection;
  /** Groups' lag as the console has sampled it while it runs. */
  readonly lagHistory: LagHistory;
}
