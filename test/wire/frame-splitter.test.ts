import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameSplitter, WireDecodeError } from '../../lib/wire/index.js';

function frame(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

describe('FrameSplitter', () => {
  it('yields the payloads of a stream cut at arbitrary points, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (payloads, cuts) => {
        const stream = Buffer.concat(payloads.map((p) => frame(Buffer.from(p))));
        const points = [...new Set(cuts.map((c) => (stream.length === 0 ? 0 : c % stream.length)))].sort((a, b) => a - b);
        const splitter = new FrameSplitter();
        const out: Buffer[] = [];
        let from = 0;
        for (const point of [...points, stream.length]) {
          out.push(...splitter.push(stream.subarray(from, point)));
          from = point;
        }
        expect(out.map((b) => Buffer.from(b))).toEqual(payloads.map((p) => Buffer.from(p)));
        expect(splitter.pendingBytes).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a size prefix split across one-byte chunks', () => {
    const splitter = new FrameSplitter();
    const bytes = frame(Buffer.from('hello'));
    const out: Buffer[] = [];
    for (const b of bytes) out.push(...splitter.push(Buffer.from([b])));
    expect(out).toEqual([Buffer.from('hello')]);
  });

  it('rejects a frame above the maximum before buffering it, and a negative size', () => {
    const splitter = new FrameSplitter({ maxFrameBytes: 10 });
    expect(() => splitter.push(Buffer.from([0, 0, 0, 11]))).toThrow(expect.objectContaining({ reason: 'frame-too-large' }));
    expect(() => new FrameSplitter().push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(WireDecodeError);
  });
});
