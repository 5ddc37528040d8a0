/**
 * Encodes a struct by its schema plan. A field left out (undefined) takes its
 * default; tagged fields are written only when they differ from their default; a
 * field the version does not carry must be left out or at its default unless Kafka
 * marks it ignorable (then it is dropped), as Kafka's own serializers do. Values
 * that do not fit their type throw WireEncodeError.
 */
import type { FieldPlan, StructPlan } from './struct-plan.js';
import { uuidToBytes } from './uuid.js';
import { fieldDefault, isDefault, UNKNOWN_TAGGED_FIELDS, type UnknownTaggedField } from './wire-values.js';
import { WireEncodeError } from './wire-error.js';
import { WireWriter } from './wire-writer.js';

const MAX_STRING_BYTES = 0x7fff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const INT_RANGES = {
  int8: [-0x80, 0x7f],
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
} as const;

export function encodeStruct(writer: WireWriter, plan: StructPlan, value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WireEncodeError(`expected an object, got ${describe(value)}`, path);
  }
  const struct = value as Record<string, unknown>;
  for (const field of plan.absent) {
    const given = struct[field.name];
    if (given !== undefined && !field.ignorable && !isDefault(field, given)) {
      throw new WireEncodeError(`not carried by version ${plan.version} (leave it out or at its default)`, `${path}.${field.name}`);
    }
  }
  for (const field of plan.inline) {
    const given = struct[field.field.name];
    const fieldPath = `${path}.${field.field.name}`;
    encodeField(writer, field, given === undefined ? fieldDefault(field.field) : given, fieldPath);
  }
  const unknown = unknownTaggedFields(struct[UNKNOWN_TAGGED_FIELDS], path);
  if (!plan.flexible) {
    if (unknown.length > 0) throw new WireEncodeError(`tagged fields in non-flexible version ${plan.version}`, path);
    return;
  }
  encodeTaggedFields(writer, plan, struct, unknown, path);
}

function encodeTaggedFields(
  writer: WireWriter,
  plan: StructPlan,
  struct: Record<string, unknown>,
  unknown: readonly UnknownTaggedField[],
  path: string,
): void {
  const entries: UnknownTaggedField[] = [...unknown];
  for (const field of plan.tagged) {
    const given = struct[field.field.name];
    if (given === undefined || isDefault(field.field, given)) continue;
    const body = new WireWriter(64);
    encodeField(body, field, given, `${path}.${field.field.name}`, true);
    entries.push({ tag: field.field.tag ?? 0, data: body.toBuffer() });
  }
  entries.sort((a, b) => a.tag - b.tag);
  writer.unsignedVarint(entries.length);
  let previous = -1;
  for (const entry of entries) {
    if (entry.tag === previous) throw new WireEncodeError(`tag ${entry.tag} written twice`, path);
    previous = entry.tag;
    writer.unsignedVarint(entry.tag).unsignedVarint(entry.data.length).raw(entry.data);
  }
}

function unknownTaggedFields(value: unknown, path: string): readonly UnknownTaggedField[] {
  if (value === undefined) return [];
  const where = `${path}.${UNKNOWN_TAGGED_FIELDS}`;
  if (!Array.isArray(value)) throw new WireEncodeError('expected an array of { tag, data }', where);
  for (const entry of value as unknown[]) {
    const { tag, data } = (entry ?? {}) as { tag?: unknown; data?: unknown };
    if (typeof tag !== 'number' || !Number.isInteger(tag) || tag < 0 || tag > 0xffffffff || !(data instanceof Uint8Array)) {
      throw new WireEncodeError('expected { tag: unsigned int, data: Buffer }', where);
    }
  }
  return value as UnknownTaggedField[];
}

function encodeField(writer: WireWriter, plan: FieldPlan, value: unknown, path: string, tagged = false): void {
  if (!plan.field.array) {
    encodeOne(writer, plan, plan.nullable, value, path, tagged);
    return;
  }
  if (value === null) {
    if (!plan.nullable) throw new WireEncodeError('null in a version where it is not nullable', path);
    writer.length(plan.compact, false, -1);
    return;
  }
  if (!Array.isArray(value)) throw new WireEncodeError(`expected an array, got ${describe(value)}`, path);
  writer.length(plan.compact, false, value.length);
  value.forEach((item, i) => encodeOne(writer, plan, false, item, `${path}[${i}]`, false));
}

function encodeOne(writer: WireWriter, plan: FieldPlan, nullable: boolean, value: unknown, path: string, tagged: boolean): void {
  const type = plan.field.type;
  if (value === null) {
    if (!nullable) throw new WireEncodeError('null in a version where it is not nullable', path);
    if (type === 'struct') {
      if (tagged) writer.unsignedVarint(0);
      else writer.int8(-1);
    } else {
      writer.length(plan.compact, type === 'string', -1);
    }
    return;
  }
  switch (type) {
    case 'bool':
      if (typeof value !== 'boolean') throw typeError('a boolean', value, path);
      writer.bool(value);
      return;
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32': {
      const [min, max] = INT_RANGES[type];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        throw typeError(`an ${type}`, value, path);
      }
      writer[type](value);
      return;
    }
    case 'int64':
      writer.int64(toInt64(value, path));
      return;
    case 'float64':
      if (typeof value !== 'number') throw typeError('a number', value, path);
      writer.float64(value);
      return;
    case 'uuid': {
      const bytes = typeof value === 'string' ? uuidToBytes(value) : undefined;
      if (bytes === undefined) throw typeError("a UUID in Kafka's 22-character base64url form", value, path);
      writer.raw(bytes);
      return;
    }
    case 'string': {
      if (typeof value !== 'string') throw typeError('a string', value, path);
      const bytes = Buffer.from(value, 'utf8');
      if (bytes.length > MAX_STRING_BYTES) throw new WireEncodeError(`string of ${bytes.length} bytes exceeds ${MAX_STRING_BYTES}`, path);
      writer.length(plan.compact, true, bytes.length).raw(bytes);
      return;
    }
    case 'bytes':
    case 'records':
      if (!(value instanceof Uint8Array)) throw typeError('a Buffer', value, path);
      writer.length(plan.compact, false, value.length).raw(value);
      return;
    case 'struct':
      if (plan.struct === undefined) throw new WireEncodeError('struct without a plan', path);
      if (nullable) {
        if (tagged) writer.unsignedVarint(1);
        else writer.int8(1);
      }
      encodeStruct(writer, plan.struct, value, path);
      return;
  }
}

function toInt64(value: unknown, path: string): bigint {
  if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw typeError('an int64 (bigint, or a safe integer number)', value, path);
}

function typeError(expected: string, value: unknown, path: string): WireEncodeError {
  return new WireEncodeError(`expected ${expected}, got ${describe(value)}`, path);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
