/** A transport that can be cut, as if the process lost its network or died: every call then fails. */
import { KafkalessError } from '../../lib/errors.js';
import type { FunctionRole } from '../../lib/names.js';
import type { InvokeOptions, Transport } from '../../lib/client/transport.js';

export class CuttableTransport implements Transport {
  cut = false;
  constructor(private readonly inner: Transport) {}

  async invoke(role: FunctionRole, request: object, options?: InvokeOptions): Promise<unknown> {
    if (this.cut) throw new KafkalessError('NetworkException', 'The connection is cut');
    return this.inner.invoke(role, request, options);
  }

  async close(): Promise<void> {}
}
