/** A raw Kafka-protocol connection for tests: writes frames, collects response payloads, notices the close. */
import { connect, type Socket } from 'node:net';
import { FrameSplitter } from '../../lib/wire/index.js';

export class WireClient {
  readonly responses: Buffer[] = [];
  closed = false;
  private readonly waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    const splitter = new FrameSplitter();
    socket.on('data', (chunk: Buffer) => {
      this.responses.push(...splitter.push(chunk));
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(host: string, port: number): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => resolve(new WireClient(socket)));
      socket.once('error', reject);
    });
  }

  send(...frames: Buffer[]): void {
    this.socket.write(Buffer.concat(frames));
  }

  /** Resolves once `count` responses have arrived, or the connection closed. */
  async waitFor(count: number): Promise<Buffer[]> {
    while (this.responses.length < count && !this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.responses.slice(0, count);
  }

  async waitClosed(): Promise<void> {
    while (!this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  end(): void {
    this.socket.end();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** The correlation id a response payload starts with. */
export const correlationOf = (payload: Buffer): number => payload.readInt32BE(0);
