/**
 * A DynamoDB Streams record as a change record, in Debezium's envelope
 * (what Kafka users read CDC topics with): `op` c (INSERT), u (MODIFY) or
 * d (REMOVE), `before` and `after` images (as the stream's view type gives
 * them, else null), `source` (table, sequence number, event id) and
 * `ts_ms`. The key is the item's key attributes as JSON with the attribute
 * names sorted, so every change of one item has the same key bytes, hence
 * the same partition, hence its order. Pure.
 */
import { KafkalessError } from '../../errors.js';

type AttributeValue = Readonly<Record<string, unknown>>;
export type Item = Readonly<Record<string, unknown>>;

export interface ChangeRecord {
  /** The item's key as sorted JSON. */
  readonly key: string;
  readonly value: ChangeValue;
  readonly sequenceNumber: string;
  readonly timestampMs: number;
}

export interface ChangeValue {
  readonly op: 'c' | 'u' | 'd';
  readonly before: Item | null;
  readonly after: Item | null;
  readonly source: { readonly connector: 'dynamodb'; readonly table: string; readonly sequenceNumber: string; readonly eventId: string | null };
  readonly ts_ms: number;
}

const OPS: Readonly<Record<string, ChangeValue['op']>> = { INSERT: 'c', MODIFY: 'u', REMOVE: 'd' };

const bad = (message: string): KafkalessError => new KafkalessError('InvalidRequest', `Not a DynamoDB Streams record: ${message}`);

/** DynamoDB's attribute-value JSON as plain JSON: numbers as numbers when exact, else as their decimal strings; binary as base64; sets as lists. */
export function unmarshall(value: AttributeValue): unknown {
  const [type, v] = Object.entries(value)[0] ?? [];
  switch (type) {
    case 'S':
    case 'B':
      return v;
    case 'N':
      return exactNumber(v as string);
    case 'BOOL':
      return v;
    case 'NULL':
      return null;
    case 'SS':
    case 'BS':
      return [...(v as string[])];
    case 'NS':
      return (v as string[]).map(exactNumber);
    case 'L':
      return (v as AttributeValue[]).map(unmarshall);
    case 'M':
      return unmarshallItem(v as Readonly<Record<string, AttributeValue>>);
    default:
      throw bad(`unknown attribute type ${String(type)}`);
  }
}

function exactNumber(text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) && String(n) === text.replace(/^(-?)0+(?=\d)/, '$1') ? n : text;
}

export function unmarshallItem(image: Readonly<Record<string, AttributeValue>>): Item {
  return Object.fromEntries(Object.entries(image).map(([name, v]) => [name, unmarshall(v)]));
}

/** The key as JSON with sorted attribute names. */
export function itemKeyJson(keys: Item): string {
  return JSON.stringify(Object.fromEntries(Object.keys(keys).sort().map((k) => [k, keys[k]])));
}

interface StreamRecord {
  readonly eventID?: unknown;
  readonly eventName?: unknown;
  readonly dynamodb?: {
    readonly Keys?: Readonly<Record<string, AttributeValue>>;
    readonly NewImage?: Readonly<Record<string, AttributeValue>>;
    readonly OldImage?: Readonly<Record<string, AttributeValue>>;
    readonly SequenceNumber?: unknown;
    readonly ApproximateCreationDateTime?: unknown;
  };
}

export function changeRecord(table: string, record: unknown, index: number): ChangeRecord {
  const r = record as StreamRecord;
  const op = typeof r.eventName === 'string' ? OPS[r.eventName] : undefined;
  const ddb = r.dynamodb;
  if (op === undefined || ddb?.Keys === undefined || typeof ddb.SequenceNumber !== 'string') throw bad(`Records[${index}] lacks eventName, Keys or SequenceNumber`);
  // Lambda gives epoch seconds; DynamoDB Local too.
  const seconds = typeof ddb.ApproximateCreationDateTime === 'number' ? ddb.ApproximateCreationDateTime : Date.now() / 1000;
  const timestampMs = Math.round(seconds * 1000);
  return {
    key: itemKeyJson(unmarshallItem(ddb.Keys)),
    sequenceNumber: ddb.SequenceNumber,
    timestampMs,
    value: {
      op,
      before: ddb.OldImage !== undefined ? unmarshallItem(ddb.OldImage) : null,
      after: ddb.NewImage !== undefined ? unmarshallItem(ddb.NewImage) : null,
      source: { connector: 'dynamodb', table, sequenceNumber: ddb.SequenceNumber, eventId: typeof r.eventID === 'string' ? r.eventID : null },
      ts_ms: timestampMs,
    },
  };
}

/** Stream sequence numbers are decimal strings of varying width: compared as numbers. */
export function sequenceAfter(a: string, b: string): boolean {
  return BigInt(a) > BigInt(b);
}
