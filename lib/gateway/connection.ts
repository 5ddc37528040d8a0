/**
 * One client connection: frames cut from the stream, requests handled one
 * at a time in the order they came and answered in that order, as a Kafka
 * broker does (pipelined produces of one partition keep their order). A
 * frame that does not decode closes this connection only.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../broker/dispatch.js';
import { FrameSplitter, WireDecodeError } from '../wire/index.js';
import { ConnectionRefused } from './closing-answer.js';

export type AnswerFrame = (payload: Buffer) => Promise<Buffer | undefined>;

/** Requests queued on one connection before it stops reading (Kafka's queued.max.requests is 500 per broker). */
export const MAX_QUEUED_REQUESTS = 100;

export function serveConnection(socket: Socket, answer: AnswerFrame, options: { maxFrameBytes?: number | (() => number); log: Logger }): void {
  const splitter = new FrameSplitter(options.maxFrameBytes !== undefined ? { maxFrameBytes: options.maxFrameBytes } : {});
  let tail: Promise<void> = Promise.resolve();
  let queued = 0;
  let closing = false;
  const close = (reason: unknown) => {
    if (socket.destroyed || closing) return;
    closing = true;
    // A client's bad frame is its business; anything else is a gateway bug.
    const level = reason instanceof WireDecodeError || reason instanceof ConnectionRefused ? 'info' : 'error';
    const detail = reason instanceof Error ? (level === 'error' ? (reason.stack ?? reason.message) : reason.message) : String(reason);
    options.log(level, 'closing a Kafka connection', { remote: socket.remoteAddress, reason: detail });
    if (reason instanceof ConnectionRefused && reason.lastFrame !== undefined) {
      // The refusal's answer goes out first; nothing more is read.
      socket.pause();
      socket.end(reason.lastFrame, () => socket.destroy());
      return;
    }
    socket.destroy();
  };
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    if (closing) return;
    let frames: Buffer[];
    try {
      frames = splitter.push(chunk);
    } catch (err) {
      close(err);
      return;
    }
    for (const frame of frames) {
      queued += 1;
      tail = tail.then(async () => {
        try {
          if (socket.destroyed || closing) return;
          const response = await answer(frame);
          if (response !== undefined && !socket.destroyed && !closing) socket.write(response);
        } catch (err) {
          close(err);
        } finally {
          queued -= 1;
          if (queued < MAX_QUEUED_REQUESTS && socket.isPaused() && !socket.destroyed && !closing) socket.resume();
        }
      });
    }
    if (queued >= MAX_QUEUED_REQUESTS) socket.pause();
  });
}
