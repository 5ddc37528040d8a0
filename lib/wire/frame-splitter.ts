/**
 * Splits a TCP byte stream into Kafka frames: a 4-byte big-endian size, then that
 * many bytes. Push chunks as they arrive; each call returns the payloads completed so
 * far (without their size prefix). A size below zero or above `maxFrameBytes` is a
 * WireDecodeError (reason 'frame-too-large' or 'malformed'): the connection is beyond
 * saving, since the stream has lost its framing. Memory held is bounded by one frame.
 * The maximum may change as the connection goes (a smaller one until it authenticates).
 */
import { WireDecodeError } from './wire-error.js';

const SIZE_BYTES = 4;

/** Kafka's socket.request.max.bytes default (100 MiB). */
export const DEFAULT_MAX_FRAME_BYTES = 104_857_600;

export class FrameSplitter {
  private readonly limit: () => number;
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(options: { maxFrameBytes?: number | (() => number) } = {}) {
    const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.limit = typeof max === 'number' ? () => max : max;
  }

  private get maxFrameBytes(): number {
    return this.limit();
  }

  /** Bytes received that do not yet complete a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      const frame = this.next();
      if (frame === undefined) return frames;
      frames.push(frame);
    }
  }

  private next(): Buffer | undefined {
    if (this.buffered < SIZE_BYTES) return undefined;
    const sizeBytes = this.peekSize();
    if (sizeBytes < 0) throw new WireDecodeError(`frame size ${sizeBytes} is negative`, 'malformed');
    if (sizeBytes > this.maxFrameBytes) {
      throw new WireDecodeError(`frame of ${sizeBytes} bytes exceeds the maximum of ${this.maxFrameBytes}`, 'frame-too-large');
    }
    if (this.buffered < SIZE_BYTES + sizeBytes) return undefined;
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    const frame = all.subarray(SIZE_BYTES, SIZE_BYTES + sizeBytes);
    const rest = all.subarray(SIZE_BYTES + sizeBytes);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return frame;
  }

  private peekSize(): number {
    const first = this.chunks[0];
    if (first.length >= SIZE_BYTES) return first.readInt32BE(0);
    const head = Buffer.alloc(SIZE_BYTES);
    let filled = 0;
    for (const chunk of this.chunks) {
      if (filled === SIZE_BYTES) break;
      filled += chunk.copy(head, filled, 0, Math.min(chunk.length, SIZE_BYTES - filled));
    }
    return head.readInt32BE(0);
  }
}
