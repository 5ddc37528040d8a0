/**
 * The S3 sink's work on one batch of one partition (one task's share):
 * convert each record, file it under its partitioner's path, cut the batch
 * into flushes (chunks.ts), write each flush as one object per path, named
 * by its first record's offset (object-key.ts), and say where to hold. The
 * subscription commits the offsets after this returns, so an object is
 * always written before the offsets move past its records, and a retry
 * after a crash in between writes the same objects again under the same
 * names: every record in exactly one object.
 *
 * A record that does not convert: with `errors.tolerance=all` it goes to the
 * dead-letter topic (or is skipped) and the rest is written; with `none` the
 * flushes before it are written, the task is marked FAILED with the error's
 * trace, and everything from its flush on is held until a restart.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../../broker/dispatch.js';
import type { Transport } from '../../client/transport.js';
import type { FaultInjector } from '../../faults.js';
import type { ConnectorStore } from '../../storage/connector-store.js';
import { taskOf, type S3SinkConfig } from '../config/connector-config.js';
import { convert, RecordConversionError, type ConnectValue } from '../converters.js';
import { sendToDeadLetterQueue, type FailedRecord } from '../dead-letter.js';
import type { SinkBatch, SinkRecord } from '../sink-event.js';
import { cutFlushes, type Flush } from './chunks.js';
import { encodeObject, extensionOf } from './formats.js';
import { objectKey } from './object-key.js';
import { encodePartition, recordTime } from './partitioner.js';

export interface S3SinkDeps {
  readonly s3: S3Client;
  readonly store: ConnectorStore;
  /** The broker, for the dead-letter topic. */
  readonly broker: Transport;
  readonly faults: FaultInjector;
  readonly now: () => number;
  readonly log: Logger;
}

export interface SinkOutcome {
  /** The first offset not done: held for the next wake (or a restart). Undefined: the whole batch is done. */
  readonly holdFrom?: number;
  readonly objects: readonly string[];
  readonly deadLettered: number;
}

interface Converted {
  readonly offset: number;
  /** Undefined when the record is not written (failed with tolerance all, or a null value ignored). */
  readonly time: number | undefined;
  readonly path: string;
  readonly value: ConnectValue;
}

export async function sinkToS3(deps: S3SinkDeps, config: S3SinkConfig, batch: SinkBatch): Promise<SinkOutcome> {
  const first = batch.records[0];
  if (first === undefined) return { objects: [], deadLettered: 0 };
  const task = taskOf(config, batch.partition);
  const state = await deps.store.taskState(config.name, task);
  if (state !== 'RUNNING') return { holdFrom: first.offset, objects: [], deadLettered: 0 };

  const converted: Converted[] = [];
  const failed: FailedRecord[] = [];
  let stoppedAt: FailedRecord | undefined;
  for (const record of batch.records) {
    try {
      converted.push(convertRecord(config, record));
    } catch (err) {
      if (!(err instanceof RecordConversionError)) throw err;
      if (config.errorsTolerance === 'none') {
        stoppedAt = { record, error: err };
        break;
      }
      failed.push({ record, error: err });
      converted.push({ offset: record.offset, time: undefined, path: '', value: null });
    }
  }
  // With tolerance none, the failing record is the end: what comes before it is cut as if the log ended there.
  const logEndOffset = stoppedAt !== undefined ? stoppedAt.record.offset : batch.logEndOffset;
  const cut = cutFlushes(converted, { flushSize: config.flushSize, rotateIntervalMs: config.rotateIntervalMs, logEndOffset });
  const doneBefore = cut.holdFrom ?? stoppedAt?.record.offset ?? batch.records[batch.records.length - 1]!.offset + 1;

  const dead = failed.filter((f) => f.record.offset < doneBefore);
  if (dead.length > 0) await deadLetter(deps, config, task, dead);
  const objects: string[] = [];
  for (const flush of cut.flushes) objects.push(...(await writeFlush(deps, config, batch, flush)));
  await deps.faults.at('connect.afterUpload', { connector: config.name, topic: batch.topic, partition: batch.partition });

  if (stoppedAt !== undefined) {
    const { record, error } = stoppedAt;
    await deps.store.failTask(config.name, task, { trace: error.stack ?? error.message, failedAtMs: deps.now(), topic: record.topic, partition: record.partition, offset: record.offset });
    deps.log('error', 'connector task failed (errors.tolerance=none)', { connector: config.name, task, topic: record.topic, partition: record.partition, offset: record.offset, error: error.message });
  }
  const holdFrom = cut.holdFrom ?? (stoppedAt !== undefined ? doneBefore : undefined);
  return { ...(holdFrom !== undefined ? { holdFrom } : {}), objects, deadLettered: dead.length };
}

function convertRecord(config: S3SinkConfig, record: SinkRecord): Converted {
  convert(config.keyConverter, record.key, 'KEY_CONVERTER');
  if (record.value === null) {
    if (config.nullValues === 'ignore') return { offset: record.offset, time: undefined, path: '', value: null };
    throw new RecordConversionError('a null value (tombstone), with behavior.on.null.values=fail', 'TASK_PUT');
  }
  const value = convert(config.valueConverter, record.value, 'VALUE_CONVERTER');
  const filed = { partition: record.partition, timestamp: record.timestamp, value };
  return { offset: record.offset, time: recordTime(config.partitioner, filed), path: encodePartition(config.partitioner, filed), value };
}

/** One object per partitioner path, each named by its first record's offset. */
async function writeFlush(deps: S3SinkDeps, config: S3SinkConfig, batch: SinkBatch, flush: Flush<Converted>): Promise<string[]> {
  const byPath = new Map<string, Converted[]>();
  for (const record of flush.records) {
    const list = byPath.get(record.path);
    if (list === undefined) byPath.set(record.path, [record]);
    else list.push(record);
  }
  const keys: string[] = [];
  for (const [path, records] of byPath) {
    const key = objectKey({ topicsDir: config.topicsDir, topic: batch.topic, encodedPartition: path, partition: batch.partition, startOffset: records[0]!.offset, padWidth: config.offsetZeroPadWidth, extension: extensionOf(config.format) });
    const encoded = encodeObject(config.format, records.map((r) => r.value));
    await deps.s3.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: encoded.body, ContentType: encoded.contentType }));
    keys.push(key);
  }
  return keys;
}

async function deadLetter(deps: S3SinkDeps, config: S3SinkConfig, task: number, failed: readonly FailedRecord[]): Promise<void> {
  if (config.errorsLogEnable || config.deadLetterTopic === undefined) {
    for (const f of failed) deps.log('warn', 'connector skipped a record (errors.tolerance=all)', { connector: config.name, task, topic: f.record.topic, partition: f.record.partition, offset: f.record.offset, error: f.error.message });
  }
  if (config.deadLetterTopic === undefined) return;
  await sendToDeadLetterQueue(deps.broker, config.deadLetterTopic, failed, { connector: config.name, task, contextHeaders: config.deadLetterContextHeaders });
}
