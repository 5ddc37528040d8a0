const INT32_MAX = 2147483647;

/** Kafka's DefaultRecordBatch.incrementSequence: sequences wrap to 0 after Integer.MAX_VALUE. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
  return sequence + increment;
}

/** A record's sequence: -1 when the batch has no base sequence. */
export function recordSequence(baseSequence: number, offsetDelta: number): number {
  return baseSequence < 0 ? -1 : incrementSequence(baseSequence, offsetDelta);
}
