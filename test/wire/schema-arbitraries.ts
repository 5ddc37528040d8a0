/**
 * fast-check arbitraries derived from a message's schema at one version: every field
 * the version carries gets a random value of its type (null where nullable), every
 * other field its default, flexible structs sometimes carry unknown tagged fields.
 * What the arbitrary yields is exactly what decoding its encoding must give back.
 */
import fc from 'fast-check';
import type { FieldPlan, StructPlan } from '../../lib/wire/struct-plan.js';
import { fieldDefault, UNKNOWN_TAGGED_FIELDS } from '../../lib/wire/wire-values.js';

type Value = unknown;

const MAX_ITEMS = 3;

function elementArb(plan: FieldPlan): fc.Arbitrary<Value> {
  switch (plan.field.type) {
    case 'bool':
      return fc.boolean();
    case 'int8':
      return fc.integer({ min: -0x80, max: 0x7f });
    case 'int16':
      return fc.integer({ min: -0x8000, max: 0x7fff });
    case 'uint16':
      return fc.integer({ min: 0, max: 0xffff });
    case 'int32':
      return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'uint32':
      return fc.integer({ min: 0, max: 0xffffffff });
    case 'int64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'float64':
      return fc.double({ noNaN: true });
    case 'uuid':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64url'));
    case 'string':
      return fc.string({ maxLength: 6, unit: 'grapheme' });
    case 'bytes':
    case 'records':
      return fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b));
    case 'struct':
      if (plan.struct === undefined) throw new Error(`${plan.field.name}: no struct plan`);
      return structArb(plan.struct);
  }
}

function fieldArb(plan: FieldPlan): fc.Arbitrary<Value> {
  const one = plan.field.array ? fc.array(elementArb(plan), { maxLength: MAX_ITEMS }) : elementArb(plan);
  return plan.nullable ? fc.option(one, { nil: null, freq: 4 }) : one;
}

function unknownTaggedArb(plan: StructPlan): fc.Arbitrary<{ tag: number; data: Buffer }[]> {
  const firstFree = Math.max(-1, ...plan.fields.map((f) => f.tag ?? -1)) + 1;
  return fc
    .uniqueArray(fc.integer({ min: firstFree, max: firstFree + 40 }), { maxLength: 2 })
    .chain((tags) =>
      fc.tuple(...tags.map((tag) => fc.uint8Array({ maxLength: 6 }).map((data) => ({ tag, data: Buffer.from(data) })))),
    )
    .map((fields) => [...fields].sort((a, b) => a.tag - b.tag));
}

export function structArb(plan: StructPlan): fc.Arbitrary<Record<string, Value>> {
  const parts: Record<string, fc.Arbitrary<Value>> = {};
  for (const field of plan.absent) parts[field.name] = fc.constant(null).map(() => fieldDefault(field));
  for (const field of [...plan.inline, ...plan.tagged]) parts[field.field.name] = fieldArb(field);
  const struct = fc.record(parts);
  if (!plan.flexible) return struct;
  return fc.tuple(struct, fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: unknownTaggedArb(plan), weight: 1 })).map(
    ([value, unknown]) => (unknown.length > 0 ? { ...value, [UNKNOWN_TAGGED_FIELDS]: unknown } : value),
  );
}
