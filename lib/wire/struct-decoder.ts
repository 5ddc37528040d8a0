/**
 * Decodes a struct by its schema plan. Every field of the schema is in the result:
 * read from the wire when the version carries it, its default otherwise. Unknown
 * tagged fields are kept in `_unknownTaggedFields`. Throws only WireDecodeError.
 */
import type { FieldPlan, StructPlan } from './struct-plan.js';
import { fieldDefault, UNKNOWN_TAGGED_FIELDS, type UnknownTaggedField, type WireStruct, type WireValue } from './wire-values.js';
import type { WireReader } from './wire-reader.js';

/** Structs nest a few levels in Kafka's definitions; a guard against a pathological schema. */
const MAX_DEPTH = 16;

export function decodeStruct(reader: WireReader, plan: StructPlan, path: string, depth = 0): WireStruct {
  if (depth > MAX_DEPTH) throw reader.error(`${path}: structs nested deeper than ${MAX_DEPTH}`, path);
  const struct: Record<string, WireValue | UnknownTaggedField[]> = {};
  // Keys in the schema's order, whatever order they are filled in.
  for (const field of plan.fields) struct[field.name] = null;
  for (const field of plan.absent) struct[field.name] = fieldDefault(field);
  for (const field of plan.inline) {
    const where = `${path}.${field.field.name}`;
    struct[field.field.name] = decodeField(reader, field, where, depth, false);
  }
  if (plan.flexible) {
    for (const field of plan.tagged) struct[field.field.name] = fieldDefault(field.field);
    const unknown = decodeTaggedFields(reader, plan, struct, path, depth);
    if (unknown.length > 0) struct[UNKNOWN_TAGGED_FIELDS] = unknown;
  }
  return struct;
}

function decodeTaggedFields(
  reader: WireReader,
  plan: StructPlan,
  struct: Record<string, WireValue | UnknownTaggedField[]>,
  path: string,
  depth: number,
): UnknownTaggedField[] {
  const where = `${path}.<tagged fields>`;
  const count = reader.unsignedVarint(where);
  // Each tagged field takes at least two bytes (tag and size).
  if (count > reader.remaining / 2) throw reader.error(`${where}: ${count} tagged fields in ${reader.remaining} bytes`, where);
  const unknown: UnknownTaggedField[] = [];
  for (let i = 0; i < count; i++) {
    const tag = reader.unsignedVarint(where);
    const sizeBytes = reader.unsignedVarint(where);
    const body = reader.sub(sizeBytes, `${where} tag ${tag}`);
    const known = plan.byTag.get(tag);
    if (known !== undefined) {
      const fieldPath = `${path}.${known.field.name}`;
      struct[known.field.name] = decodeField(body, known, fieldPath, depth, true);
      if (body.remaining !== 0) throw body.error(`${fieldPath}: ${body.remaining} bytes left in its tagged field`, fieldPath);
    } else if (plan.otherTags.has(tag)) {
      throw reader.error(`${where}: tag ${tag} is not valid in version ${plan.version}`, where);
    } else {
      unknown.push({ tag, data: body.raw(sizeBytes, where) });
    }
  }
  return unknown;
}

function decodeField(reader: WireReader, plan: FieldPlan, path: string, depth: number, tagged: boolean): WireValue {
  if (!plan.field.array) return decodeOne(reader, plan, plan.nullable, path, depth, tagged);
  const count = reader.length(plan.compact, false, path);
  if (count === -1) return nullOrFail(reader, plan.nullable, path);
  // Every element takes at least elementMinBytes (and the count is bounded by the bytes left
  // even for elements that take none), so a forged count can not allocate or loop beyond the frame.
  if (count < -1 || count > reader.remaining || count * plan.elementMinBytes > reader.remaining) {
    throw reader.error(`${path}: array of ${count} elements in ${reader.remaining} bytes`, path);
  }
  const items: WireValue[] = [];
  for (let i = 0; i < count; i++) items.push(decodeOne(reader, plan, false, `${path}[${i}]`, depth, false));
  return items;
}

function nullOrFail(reader: WireReader, nullable: boolean, path: string): null {
  if (!nullable) throw reader.error(`${path}: null in a version where it is not nullable`, path);
  return null;
}

function decodeOne(
  reader: WireReader,
  plan: FieldPlan,
  nullable: boolean,
  path: string,
  depth: number,
  tagged: boolean,
): WireValue {
  switch (plan.field.type) {
    case 'bool':
      return reader.bool(path);
    case 'int8':
      return reader.int8(path);
    case 'int16':
      return reader.int16(path);
    case 'uint16':
      return reader.uint16(path);
    case 'int32':
      return reader.int32(path);
    case 'uint32':
      return reader.uint32(path);
    case 'int64':
      return reader.int64(path);
    case 'float64':
      return reader.float64(path);
    case 'uuid':
      return reader.uuid(path);
    case 'string': {
      const sizeBytes = reader.length(plan.compact, true, path);
      if (sizeBytes < 0) return lengthNull(reader, sizeBytes, nullable, path);
      return reader.string(sizeBytes, path);
    }
    case 'bytes':
    case 'records': {
      const sizeBytes = reader.length(plan.compact, false, path);
      if (sizeBytes < 0) return lengthNull(reader, sizeBytes, nullable, path);
      return reader.raw(sizeBytes, path);
    }
    case 'struct': {
      if (nullable) {
        // Tagged nullable structs carry an unsigned varint marker, inline ones an int8.
        if (tagged ? reader.unsignedVarint(path) === 0 : reader.int8(path) < 0) return null;
      }
      if (plan.struct === undefined) throw reader.error(`${path}: struct without a plan`, path);
      return decodeStruct(reader, plan.struct, path, depth + 1);
    }
  }
}

function lengthNull(reader: WireReader, sizeBytes: number, nullable: boolean, path: string): null {
  if (sizeBytes !== -1) throw reader.error(`${path}: negative length ${sizeBytes}`, path);
  return nullOrFail(reader, nullable, path);
}
