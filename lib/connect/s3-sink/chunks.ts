/**
 * Where a sink's batch is cut into flushes, as Confluent's S3 sink cuts a
 * partition's records into files: a flush closes at `flush.size` records,
 * or when a record's time is `rotate.interval.ms` or more past the first
 * record of the flush (that record opens the next). Flush boundaries depend
 * only on the records, never on when they were read, so a retry cuts the
 * same records the same way. The open flush at the end of a batch is held
 * (not written, not committed) and read again: at the end of the log until
 * more records close it, else at once by the next batch, which starts with
 * it. Only a batch that is one open flush short of the log end (a byte limit
 * cut it) writes it anyway, so delivery always moves on. Pure.
 */

export interface Positioned {
  readonly offset: number;
  /** The time rotation goes by (the partitioner's timestamp), undefined for a record that is not written. */
  readonly time: number | undefined;
}

export interface Flush<T extends Positioned> {
  /** The records written (those with a time), in offset order. */
  readonly records: readonly T[];
  /** The next offset after the flush: what is committed once it is written. */
  readonly endOffset: number;
}

export interface CutOptions {
  readonly flushSize: number;
  /** -1: off. */
  readonly rotateIntervalMs: number;
  /** The partition's log end offset when the batch was read. */
  readonly logEndOffset: number;
}

export interface Cut<T extends Positioned> {
  readonly flushes: readonly Flush<T>[];
  /** The first offset of the open flush that is held back, when there is one. */
  readonly holdFrom?: number;
}

export function cutFlushes<T extends Positioned>(records: readonly T[], options: CutOptions): Cut<T> {
  const flushes: Flush<T>[] = [];
  let open: T[] = [];
  let openStart: number | undefined;
  const close = (endOffset: number): void => {
    flushes.push({ records: open, endOffset });
    open = [];
    openStart = undefined;
  };
  for (const record of records) {
    const first = open[0];
    if (first !== undefined && record.time !== undefined && options.rotateIntervalMs > 0 && record.time - first.time! >= options.rotateIntervalMs) close(record.offset);
    openStart ??= record.offset;
    if (record.time !== undefined) open.push(record);
    if (open.length >= options.flushSize) close(record.offset + 1);
  }
  const last = records[records.length - 1];
  if (last === undefined || openStart === undefined) return { flushes };
  // An open flush of records that are not written (dead-lettered, skipped) holds nothing back.
  if (open.length > 0 && (last.offset + 1 >= options.logEndOffset || flushes.length > 0)) return { flushes, holdFrom: openStart };
  close(last.offset + 1);
  return { flushes };
}
