import { describe, expect, it } from 'vitest';
import {
  decodeUnsignedVarint,
  decodeVarint,
  decodeVarlong,
  decodeVarlongBig,
  encodeUnsignedVarint,
  encodeVarint,
  encodeVarlong,
  sizeOfVarint,
  sizeOfVarlong,
} from '../../lib/log/index.js';
import { expectCorrupt } from './expect-corrupt.js';
import { varintVectors } from './vectors.js';

describe('varint (int32, zig-zag)', () => {
  for (const { value, hex } of varintVectors.varint) {
    it(`encodes ${value} as ${hex} and back`, () => {
      const n = Number(value);
      expect(encodeVarint(n).toString('hex')).toBe(hex);
      expect(sizeOfVarint(n)).toBe(hex.length / 2);
      expect(decodeVarint(Buffer.from(hex, 'hex'))).toEqual({ value: n, sizeBytes: hex.length / 2 });
    });
  }
});

describe('varlong (int64, zig-zag)', () => {
  for (const { value, hex } of varintVectors.varlong) {
    it(`encodes ${value} as ${hex} and back`, () => {
      const big = BigInt(value);
      const bytes = Buffer.from(hex, 'hex');
      expect(encodeVarlong(big).toString('hex')).toBe(hex);
      expect(sizeOfVarlong(big)).toBe(bytes.length);
      expect(decodeVarlongBig(bytes)).toEqual({ value: big, sizeBytes: bytes.length });
      if (typeof value === 'number') {
        expect(encodeVarlong(value).toString('hex')).toBe(hex);
        expect(sizeOfVarlong(value)).toBe(bytes.length);
        expect(decodeVarlong(bytes)).toEqual({ value, sizeBytes: bytes.length });
      } else {
        expectCorrupt(() => decodeVarlong(bytes));
      }
    });
  }

  it('encodes safe integers beyond 2^52 through the exact path', () => {
    for (const n of [2 ** 52 + 1, -(2 ** 52) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
      const viaNumber = encodeVarlong(n);
      expect(viaNumber.equals(encodeVarlong(BigInt(n)))).toBe(true);
      expect(decodeVarlong(viaNumber).value).toBe(n);
    }
  });
});

describe('unsigned varint (no zig-zag)', () => {
  for (const { value, hex } of varintVectors.unsignedVarint) {
    it(`encodes ${value} as ${hex} and back`, () => {
      const n = Number(value);
      expect(encodeUnsignedVarint(n).toString('hex')).toBe(hex);
      expect(decodeUnsignedVarint(Buffer.from(hex, 'hex')).value).toBe(n);
    });
  }
});

describe('invalid varints', () => {
  for (const { kind, hex, error } of varintVectors.invalid) {
    it(`rejects ${kind} ${hex} as Kafka does (${error})`, () => {
      const bytes = Buffer.from(hex, 'hex');
      if (kind === 'varint') expectCorrupt(() => decodeVarint(bytes));
      else expectCorrupt(() => decodeVarlongBig(bytes));
    });
  }

  it('rejects a varint cut off before its last byte', () => {
    expectCorrupt(() => decodeVarint(Buffer.from('8080', 'hex')));
    expectCorrupt(() => decodeVarlong(Buffer.from('ffffffffffffff', 'hex')));
    expectCorrupt(() => decodeVarint(Buffer.alloc(0)));
  });

  it('refuses to encode values outside int32 as a varint', () => {
    expect(() => encodeVarint(2 ** 31)).toThrow(RangeError);
    expect(() => encodeVarint(1.5)).toThrow(RangeError);
    expect(() => encodeVarlong(2n ** 63n)).toThrow(RangeError);
  });
});
