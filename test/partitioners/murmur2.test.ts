import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, toPositive } from '../../lib/client/partitioners/index.js';

interface HashVector { input: string; inputEncoding: BufferEncoding; murmur2: number }
interface KeyVector { key: string; keyEncoding: BufferEncoding; partitions: number; partition: number }
interface Murmur2Vectors { murmur2: HashVector[]; keyPartition: KeyVector[] }

const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/vectors/murmur2.json', import.meta.url), 'utf8'),
) as Murmur2Vectors;

describe('murmur2', () => {
  it.each(vectors.murmur2.map((v) => [v.input, v] as const))('hashes %j as Kafka does', (_name, vector) => {
    expect(murmur2(Buffer.from(vector.input, vector.inputEncoding))).toBe(vector.murmur2);
  });

  it('hashes the empty key to 275646681', () => {
    expect(murmur2(new Uint8Array(0))).toBe(275646681);
  });

  it('clears only the sign bit in toPositive', () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(5)).toBe(5);
  });

  it('answers a signed 32-bit integer for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const hash = murmur2(bytes);
        expect(Number.isInteger(hash)).toBe(true);
        expect(hash).toBe(hash | 0);
      }),
    );
  });
});

describe('partitionForKey', () => {
  it.each(vectors.keyPartition.map((v) => [v.key, v.partitions, v] as const))(
    'maps key %j over %i partitions as Kafka does',
    (_key, _count, vector) => {
      expect(partitionForKey(Buffer.from(vector.key, vector.keyEncoding), vector.partitions)).toBe(vector.partition);
    },
  );

  it('always answers a partition in [0, n)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 1, max: 10_000 }), (key, count) => {
        const partition = partitionForKey(key, count);
        expect(Number.isInteger(partition)).toBe(true);
        expect(partition).toBeGreaterThanOrEqual(0);
        expect(partition).toBeLessThan(count);
      }),
    );
  });
});
