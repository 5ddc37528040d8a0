/**
 * The S3 sink's object formats: JSON Lines (Confluent's JsonFormat: one
 * JSON value per line, `.json`) and Parquet (hyparquet-writer, snappy,
 * `.snappy.parquet` as Confluent names it). Schemaless data gets its
 * Parquet schema from the records of the object: object values give one
 * column per top-level field (in first-seen order), any other value one
 * `value` column; a column whose values are all booleans, numbers, strings
 * or bytes gets that type, anything else (nested, mixed) is a JSON column.
 * Every column is nullable (a field missing from a record is null). Pure.
 */
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import type { SinkFormat } from '../config/connector-config.js';
import type { ConnectValue } from '../converters.js';

export interface EncodedObject {
  readonly body: Uint8Array;
  readonly contentType: string;
}

export function extensionOf(format: SinkFormat): string {
  return format === 'json' ? '.json' : '.snappy.parquet';
}

export function encodeObject(format: SinkFormat, values: readonly ConnectValue[]): EncodedObject {
  return format === 'json' ? encodeJsonLines(values) : encodeParquet(values);
}

function jsonOf(value: ConnectValue): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(jsonOf);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonOf(v as ConnectValue)]));
  return value;
}

function encodeJsonLines(values: readonly ConnectValue[]): EncodedObject {
  const text = values.map((v) => `${JSON.stringify(jsonOf(v))}\n`).join('');
  return { body: Buffer.from(text, 'utf8'), contentType: 'application/x-ndjson' };
}

type Row = Readonly<Record<string, ConnectValue>>;

const isRow = (v: ConnectValue): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);

function encodeParquet(values: readonly ConnectValue[]): EncodedObject {
  const rows: Row[] = values.every(isRow) && values.length > 0 ? (values as Row[]) : values.map((value) => ({ value }));
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) if (!seen.has(name)) (seen.add(name), names.push(name));
  const columnData: ColumnSource[] = names.map((name) => column(name, rows.map((row) => row[name] ?? null)));
  const buffer = parquetWriteBuffer({ columnData, createdBy: 'kafkaless S3 sink' });
  return { body: new Uint8Array(buffer), contentType: 'application/vnd.apache.parquet' };
}

function column(name: string, data: readonly ConnectValue[]): ColumnSource {
  const present = data.filter((v) => v !== null);
  const all = (test: (v: ConnectValue) => boolean): boolean => present.length > 0 && present.every(test);
  if (all((v) => typeof v === 'boolean')) return { name, data: [...data] as (boolean | null)[], type: 'BOOLEAN' };
  if (all((v) => typeof v === 'number')) return { name, data: [...data] as (number | null)[], type: 'DOUBLE' };
  if (all((v) => typeof v === 'string')) return { name, data: [...data] as (string | null)[], type: 'STRING' };
  if (all((v) => Buffer.isBuffer(v))) return { name, data: data.map((v) => (v === null ? null : new Uint8Array(v as Buffer))), type: 'BYTE_ARRAY' };
  return { name, data: data.map((v) => (v === null ? null : jsonOf(v))), type: 'JSON' };
}
