/**
 * A struct's fields resolved for one version: which are written in order, which are
 * tagged (by tag), which the version does not carry, and how each is framed
 * (compact or classic lengths, nullable or not). Built once per (struct, version).
 */
import { inRange, type FieldSchema } from './schema-types.js';

export interface FieldPlan {
  readonly field: FieldSchema;
  /** Null allowed in this version. */
  readonly nullable: boolean;
  /** Compact (unsigned varint) lengths for strings, bytes, records and arrays. */
  readonly compact: boolean;
  /** The element struct's plan, for struct and struct-array fields. */
  readonly struct?: StructPlan;
  /** The fewest bytes one element (or the value, for a non-array) can take: bounds array counts. */
  readonly elementMinBytes: number;
}

export interface StructPlan {
  readonly version: number;
  /** The message's flexible versions include this one: the struct ends with tagged fields. */
  readonly flexible: boolean;
  readonly fields: readonly FieldSchema[];
  /** Present and not tagged, in wire order. */
  readonly inline: readonly FieldPlan[];
  /** Present and tagged, ascending by tag. */
  readonly tagged: readonly FieldPlan[];
  readonly byTag: ReadonlyMap<number, FieldPlan>;
  /** Tags of fields this version does not carry as tagged (a peer sending one is malformed). */
  readonly otherTags: ReadonlySet<number>;
  /** Not in this version: defaults when decoding, must stay default when encoding unless ignorable. */
  readonly absent: readonly FieldSchema[];
  /** The fewest bytes the struct can take in this version. */
  readonly minBytes: number;
}

const FIXED_BYTES: Readonly<Record<string, number>> = {
  bool: 1,
  int8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  float64: 8,
  uuid: 16,
};

function elementMinBytes(field: FieldSchema, compact: boolean, struct: StructPlan | undefined): number {
  if (struct !== undefined) return struct.minBytes;
  if (field.type === 'string') return compact ? 1 : 2;
  if (field.type === 'bytes' || field.type === 'records') return compact ? 1 : 4;
  return FIXED_BYTES[field.type] ?? 0;
}

/** The fewest bytes a present, untagged field takes: a length prefix for arrays, a marker for a null struct. */
function fieldMinBytes(plan: FieldPlan): number {
  if (plan.field.array) return plan.compact ? 1 : 4;
  if (plan.field.type === 'struct' && plan.nullable) return 1;
  return plan.elementMinBytes;
}

const plans = new WeakMap<readonly FieldSchema[], Map<number, StructPlan>>();

export function structPlan(fields: readonly FieldSchema[], version: number, flexible: boolean): StructPlan {
  let byVersion = plans.get(fields);
  if (byVersion === undefined) {
    byVersion = new Map();
    plans.set(fields, byVersion);
  }
  const key = flexible ? version + 0x10000 : version;
  let plan = byVersion.get(key);
  if (plan === undefined) {
    plan = buildPlan(fields, version, flexible);
    byVersion.set(key, plan);
  }
  return plan;
}

function fieldPlan(field: FieldSchema, version: number, flexible: boolean): FieldPlan {
  const compact = field.flexibleVersions !== undefined ? inRange(field.flexibleVersions, version) : flexible;
  const struct = field.fields === undefined ? undefined : structPlan(field.fields, version, flexible);
  const plan = { field, nullable: inRange(field.nullableVersions, version), compact, elementMinBytes: elementMinBytes(field, compact, struct) };
  return struct === undefined ? plan : { ...plan, struct };
}

function buildPlan(fields: readonly FieldSchema[], version: number, flexible: boolean): StructPlan {
  const inline: FieldPlan[] = [];
  const tagged: FieldPlan[] = [];
  const absent: FieldSchema[] = [];
  const otherTags = new Set<number>();
  for (const field of fields) {
    const present = inRange(field.versions, version);
    const isTagged = flexible && present && inRange(field.taggedVersions, version);
    if (!present) absent.push(field);
    else if (isTagged) tagged.push(fieldPlan(field, version, flexible));
    else inline.push(fieldPlan(field, version, flexible));
    if (field.tag !== null && !isTagged) otherTags.add(field.tag);
  }
  tagged.sort((a, b) => (a.field.tag ?? 0) - (b.field.tag ?? 0));
  return {
    version,
    flexible,
    fields,
    inline,
    tagged,
    byTag: new Map(tagged.map((p) => [p.field.tag ?? 0, p])),
    otherTags,
    absent,
    minBytes: inline.reduce((sum, p) => sum + fieldMinBytes(p), flexible ? 1 : 0),
  };
}
