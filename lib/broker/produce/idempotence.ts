/**
 * The idempotent producer's rules, as Kafka's broker applies them per
 * (producerId, partition): a batch is the next in sequence, a retry of one of
 * the last five (answered with its original offset), or an error.
 */
import { KafkalessError, type ErrorContext } from '../../errors.js';
import { incrementSequence } from '../../log/index.js';
import type { ProducerPartitionState } from '../../storage/producer-states.js';

export interface SequencedBatch {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly lastSequence: number;
}

export type SequenceVerdict = { readonly kind: 'append' } | { readonly kind: 'duplicate'; readonly baseOffset: number };

export function judgeSequence(state: ProducerPartitionState | undefined, batch: SequencedBatch, context: ErrorContext): SequenceVerdict {
  if (state !== undefined && batch.producerEpoch < state.producerEpoch) {
    throw new KafkalessError(
      'ProducerFenced',
      `Producer ${batch.producerId} with epoch ${batch.producerEpoch} is fenced: a newer instance uses epoch ${state.producerEpoch}. Close this producer.`,
      { context },
    );
  }
  if (state === undefined || batch.producerEpoch > state.producerEpoch) {
    if (batch.baseSequence === 0) return { kind: 'append' };
    throw new KafkalessError(
      'OutOfOrderSequence',
      `Producer ${batch.producerId} (epoch ${batch.producerEpoch}) sent sequence ${batch.baseSequence}, but this partition has no earlier batch from it; a new producer session starts at 0 (its state may have expired after producer.id.expiration.ms).`,
      { context },
    );
  }
  const remembered = state.batches.find((b) => b.baseSequence === batch.baseSequence && b.lastSequence === batch.lastSequence);
  if (remembered !== undefined) return { kind: 'duplicate', baseOffset: remembered.baseOffset };
  const expected = incrementSequence(state.lastSequence, 1);
  if (batch.baseSequence === expected) return { kind: 'append' };
  if (isBehind(batch.baseSequence, state.lastSequence)) {
    throw new KafkalessError(
      'DuplicateSequenceNumber',
      `Producer ${batch.producerId} resent sequence ${batch.baseSequence}, older than the last five batches remembered (last sequence ${state.lastSequence}); it was appended before.`,
      { context },
    );
  }
  throw new KafkalessError(
    'OutOfOrderSequence',
    `Producer ${batch.producerId} sent sequence ${batch.baseSequence} but ${expected} was expected: an earlier batch is missing.`,
    { context },
  );
}

/** Whether `sequence` lies at or before `last`, in the wrapping sequence space. */
function isBehind(sequence: number, last: number): boolean {
  const span = 2 ** 31;
  const distance = (last - sequence + span) % span;
  return distance < span / 2;
}
