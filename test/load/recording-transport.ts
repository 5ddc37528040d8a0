/** A transport that counts the error codes its replies carry (what the client saw and retried), passing everything through. */
import type { FunctionRole } from '../../lib/names.js';
import { isReply } from '../../lib/protocol/reply.js';
import type { InvokeOptions, Transport } from '../../lib/client/transport.js';

export class RecordingTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    readonly errors: Map<string, number> = new Map(),
  ) {}

  async invoke(role: FunctionRole, request: object, options?: InvokeOptions): Promise<unknown> {
    const reply = await this.inner.invoke(role, request, options);
    if (isReply(reply) && !reply.ok) this.errors.set(reply.error.code, (this.errors.get(reply.error.code) ?? 0) + 1);
    return reply;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
