import { describe, expect, it } from 'vitest';
import { crc32c } from '../../lib/log/index.js';
import { crc32cPortable } from '../../lib/log/crc32c.js';
import { crc32cVectors } from './vectors.js';

describe('crc32c', () => {
  for (const vector of crc32cVectors) {
    it(`matches Kafka's value for ${vector.length} bytes (${vector.source.slice(0, 60)})`, () => {
      const input = Buffer.from(vector.input, vector.inputEncoding);
      expect(input.length).toBe(vector.length);
      expect(crc32c(input)).toBe(vector.crc32c);
    });
  }

  it('continues a previous checksum when given it as the initial value', () => {
    const input = Buffer.from('123456789abcdefghijklmnopqrstuvwxyz', 'utf8');
    for (let split = 0; split <= input.length; split++) {
      const first = crc32c(input.subarray(0, split));
      expect(crc32c(input.subarray(split), first)).toBe(crc32c(input));
    }
  });

  it('gives the same answer for every alignment of the same bytes', () => {
    const backing = Buffer.alloc(64 + 7);
    const payload = Buffer.from('The quick brown fox jumps over the lazy dog, twice over.', 'utf8');
    const expected = crc32c(payload);
    for (let offset = 0; offset < 8; offset++) {
      payload.copy(backing, offset);
      expect(crc32c(backing.subarray(offset, offset + payload.length))).toBe(expected);
    }
  });

  it('accepts a plain Uint8Array', () => {
    expect(crc32c(new Uint8Array(Buffer.from('123456789', 'utf8')))).toBe(0xe3069283);
  });
});

describe('crc32c paths', () => {
  it('agrees between the word path and the portable byte path at every length and alignment', () => {
    const backing = Buffer.alloc(300);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 131 + 7) & 0xff;
    for (let offset = 0; offset < 4; offset++) {
      for (let length = 0; length < 200; length += 7) {
        const slice = backing.subarray(offset, offset + length);
        expect(crc32c(slice)).toBe(crc32cPortable(slice));
      }
    }
    for (const vector of crc32cVectors) expect(crc32cPortable(Buffer.from(vector.input, vector.inputEncoding))).toBe(vector.crc32c);
  });
});
