/**
 * The JS values the wire layer decodes to and encodes from, and the defaults Kafka's
 * definitions give fields a version does not carry.
 *
 *   bool → boolean; int8/16/32, uint16/32, float64 → number; int64 → bigint (numbers
 *   are accepted when encoding); uuid → Kafka's 22-character string form; string →
 *   string; bytes and records → Buffer (a view into the frame when decoded); arrays →
 *   arrays; structs → objects with camelCase keys; null where the version allows it.
 */
import type { FieldSchema } from './schema-types.js';
import { ZERO_UUID } from './uuid.js';

/** A tagged field this schema version does not know, kept so that it can be written back. */
export interface UnknownTaggedField {
  readonly tag: number;
  readonly data: Buffer;
}

export type WireScalar = boolean | number | bigint | string | Buffer;
export type WireValue = WireScalar | null | readonly WireValue[] | WireStruct;

/** A decoded struct: every field of its schema, plus unknown tagged fields when there were any. */
export interface WireStruct {
  readonly [field: string]: WireValue | readonly UnknownTaggedField[] | undefined;
  readonly _unknownTaggedFields?: readonly UnknownTaggedField[];
}

export const UNKNOWN_TAGGED_FIELDS = '_unknownTaggedFields';

function parseInteger(text: string): number {
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  const value = digits.startsWith('0x') ? Number.parseInt(digits.slice(2), 16) : Number(digits);
  return negative ? -value : value;
}

/** The default of one element or field value (not an array), fresh for mutable values. */
export function scalarDefault(field: FieldSchema): WireValue {
  const text = field.default;
  switch (field.type) {
    case 'bool':
      return text.toLowerCase() === 'true';
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
      return text === '' ? 0 : parseInteger(text);
    case 'int64':
      return text === '' ? 0n : BigInt(parseInteger(text));
    case 'float64':
      return text === '' ? 0 : Number.parseFloat(text);
    case 'uuid':
      return text === '' ? ZERO_UUID : text;
    case 'string':
      return text === 'null' ? null : text;
    case 'bytes':
      return text === 'null' ? null : Buffer.alloc(0);
    case 'records':
      return null;
    case 'struct':
      return text === 'null' ? null : defaultStruct(field.fields ?? []);
  }
}

/** A field's default: `null` or `[]` for arrays, the element default otherwise. */
export function fieldDefault(field: FieldSchema): WireValue {
  if (field.array) return field.default === 'null' ? null : [];
  return scalarDefault(field);
}

/** A struct with every field at its default. */
export function defaultStruct(fields: readonly FieldSchema[]): WireStruct {
  const struct: Record<string, WireValue> = {};
  for (const field of fields) struct[field.name] = fieldDefault(field);
  return struct;
}

/** Whether `value` equals the field's default (tagged fields at their default are not written). */
export function isDefault(field: FieldSchema, value: unknown): boolean {
  if (field.array) {
    return field.default === 'null' ? value === null : Array.isArray(value) && value.length === 0;
  }
  const expected = scalarDefault(field);
  if (expected === null || value === null) return expected === value;
  switch (field.type) {
    case 'int64':
      return (typeof value === 'bigint' || Number.isSafeInteger(value)) && BigInt(value as bigint | number) === expected;
    case 'bytes':
      return value instanceof Uint8Array && value.length === 0;
    case 'struct':
      return isDefaultStruct(field.fields ?? [], value);
    default:
      return Object.is(value, expected) || value === expected;
  }
}

function isDefaultStruct(fields: readonly FieldSchema[], value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const struct = value as Record<string, unknown>;
  const unknown = struct[UNKNOWN_TAGGED_FIELDS];
  if (Array.isArray(unknown) && unknown.length > 0) return false;
  return fields.every((f) => struct[f.name] === undefined || isDefault(f, struct[f.name]));
}
