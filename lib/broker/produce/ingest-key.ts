/**
 * Ingest object keys: `ingest/<2 random hex>/<yyyy-mm-dd>/<ulid>`. The random
 * first level spreads writes over S3's per-prefix request limits; the date
 * lets the collector list old objects by day.
 */
import { monotonicFactory } from 'ulid';
import { KafkalessError } from '../../errors.js';

export const INGEST_PREFIX = 'ingest/';

export function createIngestKeyFactory(random: () => number): (nowMs: number) => string {
  const ulid = monotonicFactory(random);
  return (nowMs) => {
    const spread = Math.floor(random() * 256).toString(16).padStart(2, '0');
    const day = new Date(nowMs).toISOString().slice(0, 10);
    return `${INGEST_PREFIX}${spread}/${day}/${ulid(nowMs)}`;
  };
}

/**
 * A commit or staging found its ingest object taken by the collector as an
 * orphan (the request outlived the grace period). Retriable: the client's
 * retry uploads the batches again under a new key.
 */
export function objectCollected(objectKey: string): KafkalessError {
  return new KafkalessError(
    'KafkaStorageError',
    `The request's data (${objectKey}) was collected before it could be committed: the request took longer than the collector's grace period. Retry the request.`,
  );
}
