/**
 * A sink connector's function: the subscription's event in, the batch
 * written by the connector, and the answer the trigger reads — success (the
 * batch is done: commit it), or `kafkaless.holdFrom` naming the first record
 * not done (commit what is before it, read the rest again at the next
 * append). An error thrown (S3 or DynamoDB failing) fails the batch, which
 * the subscription retries with backoff.
 */
import type { S3SinkConfig } from './config/connector-config.js';
import { sinkToS3, type S3SinkDeps } from './s3-sink/s3-sink.js';
import { sinkBatches } from './sink-event.js';

export interface SinkAnswer {
  readonly batchItemFailures: readonly { readonly itemIdentifier: string }[];
  readonly kafkaless?: { readonly holdFrom: string };
}

export type SinkHandler = (event: unknown) => Promise<SinkAnswer>;

export function createSinkHandler(deps: S3SinkDeps, config: S3SinkConfig): SinkHandler {
  return async (event) => {
    const batches = sinkBatches(event);
    // A subscription's event holds one partition; should it hold more, the first held one is the answer.
    for (const batch of batches) {
      const outcome = await sinkToS3(deps, config, batch);
      if (outcome.holdFrom !== undefined) return { batchItemFailures: [], kafkaless: { holdFrom: `${batch.topic}-${batch.partition}@${outcome.holdFrom}` } };
    }
    return { batchItemFailures: [] };
  };
}
