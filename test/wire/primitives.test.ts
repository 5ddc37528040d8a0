import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_KEYS, encodeRequest, encodeResponse, WireDecodeError, WireEncodeError, WireReader, WireWriter, ZERO_UUID } from '../../lib/wire/index.js';
import { uuidToBytes } from '../../lib/wire/uuid.js';

describe('WireReader and WireWriter', () => {
  it('round-trip every fixed-width integer, float64, varint, varlong and unsigned varint', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -128, max: 127 }),
        fc.integer({ min: -0x8000, max: 0x7fff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.double({ noNaN: true }),
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (i8, i16, u16, i32, u32, i64, f64, vi, vl, uv) => {
          const w = new WireWriter(1);
          w.int8(i8).int16(i16).uint16(u16).int32(i32).uint32(u32).int64(i64).float64(f64).varint(vi).varlong(vl).unsignedVarint(uv);
          const r = new WireReader(w.toBuffer());
          expect([r.int8('a'), r.int16('b'), r.uint16('c'), r.int32('d'), r.uint32('e'), r.int64('f'), r.float64('g')]).toEqual([
            i8, i16, u16, i32, u32, i64, f64,
          ]);
          expect([r.varint('h'), r.varlong('i'), r.unsignedVarint('j')]).toEqual([vi, vl, uv]);
          expect(r.remaining).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('unsigned varints as Kafka writes them', () => {
    const w = new WireWriter();
    w.unsignedVarint(0).unsignedVarint(127).unsignedVarint(128).unsignedVarint(300);
    expect(w.toBuffer()).toEqual(Buffer.from([0x00, 0x7f, 0x80, 0x01, 0xac, 0x02]));
  });

  it('reading past the end or a length beyond the bytes left is a WireDecodeError naming the field', () => {
    const r = new WireReader(Buffer.from([0, 1]));
    expect(() => r.int32('partitionIndex')).toThrow(expect.objectContaining({ name: 'WireDecodeError', context: expect.objectContaining({ field: 'partitionIndex' }) }));
    expect(() => r.raw(3, 'records')).toThrow(WireDecodeError);
    expect(() => new WireReader(Buffer.from([0x80, 0x80])).unsignedVarint('len')).toThrow(WireDecodeError);
  });

  it("UUIDs are Kafka's 22-character base64url strings", () => {
    expect(uuidToBytes(ZERO_UUID)).toEqual(Buffer.alloc(16));
    expect(uuidToBytes('not-a-uuid')).toBeUndefined();
    expect(uuidToBytes('AAAAAAAAAAAAAAAAAAAAAB')).toBeUndefined(); // non-canonical trailing bits
  });
});

describe('encoding values that do not fit', () => {
  const header = { correlationId: 1, clientId: null };

  it('a value of the wrong type or range names its field', () => {
    expect(() => encodeRequest(API_KEYS.Heartbeat, 4, header, { generationId: 2 ** 31 })).toThrow(
      new WireEncodeError('expected an int32, got number 2147483648', 'HeartbeatRequest.generationId'),
    );
    expect(() => encodeRequest(API_KEYS.Metadata, 12, header, { topics: [{ topicId: 'x' }] })).toThrow(WireEncodeError);
    expect(() => encodeRequest(API_KEYS.Heartbeat, 4, header, { groupId: null as unknown as string })).toThrow(/not nullable/);
    expect(() => encodeRequest(API_KEYS.Heartbeat, 4, header, { groupId: 'x'.repeat(0x8000) })).toThrow(/exceeds 32767/);
  });

  it('a non-ignorable field the version does not carry must stay at its default; an ignorable one is dropped', () => {
    // Heartbeat v0 has no GroupInstanceId (3+, not ignorable).
    expect(() => encodeRequest(API_KEYS.Heartbeat, 0, header, { groupInstanceId: 'i' })).toThrow(/not carried by version 0/);
    expect(encodeRequest(API_KEYS.Heartbeat, 0, header, { groupInstanceId: null })).toBeInstanceOf(Buffer);
    // Metadata v0 has no ThrottleTimeMs (3+, ignorable).
    const v0 = encodeResponse(API_KEYS.Metadata, 0, 1, { throttleTimeMs: 5, brokers: [], topics: [] });
    expect(v0).toEqual(encodeResponse(API_KEYS.Metadata, 0, 1, { brokers: [], topics: [] }));
  });

  it('an API key or version without a definition', () => {
    expect(() => encodeRequest(99 as typeof API_KEYS.Produce, 0, header, {})).toThrow(WireEncodeError);
    expect(() => encodeRequest(API_KEYS.Produce, 12, header, {})).toThrow(/outside 0-11/);
  });
});
