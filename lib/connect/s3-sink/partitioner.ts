/**
 * Confluent's storage partitioners: the path a record's object goes under,
 * between `<topics.dir>/<topic>/` and the file name. Deterministic: the
 * same record gets the same path on every try, which is what lets a retried
 * flush overwrite its objects (exactly once). Pure.
 *
 * - default: `partition=<kafka partition>`
 * - field: `<field>=<value>` per `partition.field.name`, joined by `/`
 * - time: the start of the record's `partition.duration.ms` bucket, written
 *   by `path.format` (Joda-style, UTC), from the record's timestamp or a field
 */
import type { PartitionerConfig } from '../config/connector-config.js';
import { fieldOf, RecordConversionError, type ConnectValue } from '../converters.js';

export interface PartitionedRecord {
  readonly partition: number;
  readonly timestamp: number;
  readonly value: ConnectValue;
}

export function encodePartition(config: PartitionerConfig, record: PartitionedRecord): string {
  switch (config.kind) {
    case 'default':
      return `partition=${record.partition}`;
    case 'field':
      return config.fieldNames.map((name) => `${name}=${fieldText(record.value, name)}`).join('/');
    case 'time': {
      const duration = config.partitionDurationMs ?? 1;
      const ts = recordTime(config, record);
      return formatTime(config.pathFormat ?? '', Math.floor(ts / duration) * duration);
    }
  }
}

/** The time a record is filed (and rotated) by: its own timestamp, or a field of its value. */
export function recordTime(config: PartitionerConfig, record: PartitionedRecord): number {
  if (config.timestampExtractor === 'Record') return record.timestamp;
  const field = fieldOf(record.value, config.timestampField ?? '');
  const ms = typeof field === 'number' ? field : typeof field === 'string' ? Date.parse(field) : Number.NaN;
  if (!Number.isFinite(ms)) throw new RecordConversionError(`timestamp.field '${config.timestampField}' is not a time (epoch ms or ISO 8601) in the value`, 'TASK_PUT');
  return ms;
}

function fieldText(value: ConnectValue, name: string): string {
  const field = fieldOf(value, name);
  if (typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean') return encodeURIComponent(String(field));
  throw new RecordConversionError(`partition.field.name '${name}' is not a string, number or boolean field of the value`, 'TASK_PUT');
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Joda-style patterns as Confluent's path.format takes them: YYYY yyyy MM dd HH mm ss SSS, '…' literal ('' a quote), anything else as it is. */
export function formatTime(pattern: string, epochMs: number): string {
  const d = new Date(epochMs);
  const fields: Readonly<Record<string, string>> = {
    YYYY: pad(d.getUTCFullYear(), 4),
    yyyy: pad(d.getUTCFullYear(), 4),
    MM: pad(d.getUTCMonth() + 1, 2),
    dd: pad(d.getUTCDate(), 2),
    HH: pad(d.getUTCHours(), 2),
    mm: pad(d.getUTCMinutes(), 2),
    ss: pad(d.getUTCSeconds(), 2),
    SSS: pad(d.getUTCMilliseconds(), 3),
  };
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    if (pattern[i] === "'") {
      // A quoted literal; '' is a quote, inside quotes or out.
      let j = i + 1;
      if (pattern[j] === "'") {
        out += "'";
        i = j + 1;
        continue;
      }
      while (j < pattern.length) {
        if (pattern[j] === "'" && pattern[j + 1] === "'") {
          out += "'";
          j += 2;
        } else if (pattern[j] === "'") {
          break;
        } else {
          out += pattern[j];
          j++;
        }
      }
      i = j + 1;
      continue;
    }
    const token = ['YYYY', 'yyyy', 'SSS', 'MM', 'dd', 'HH', 'mm', 'ss'].find((t) => pattern.startsWith(t, i));
    if (token !== undefined) {
      out += fields[token];
      i += token.length;
    } else {
      out += pattern[i];
      i++;
    }
  }
  return out;
}
