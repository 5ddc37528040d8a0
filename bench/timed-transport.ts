/**
 * A transport that times each invocation it passes on, per function role:
 * the invocation count and the summed wall time stand in for Lambda's
 * requests and billed duration (an upper bound: the time includes the hop to
 * the function and any wait for a free execution environment).
 */
import type { FunctionRole } from '../lib/names.js';
import type { InvokeOptions, Transport } from '../lib/client/transport.js';

export interface InvocationStats {
  count: number;
  seconds: number;
}

export class TimedTransport implements Transport {
  private stats = new Map<FunctionRole, InvocationStats>();

  constructor(private readonly inner: Transport) {}

  async invoke(role: FunctionRole, request: object, options?: InvokeOptions): Promise<unknown> {
    const start = process.hrtime.bigint();
    try {
      return await this.inner.invoke(role, request, options);
    } finally {
      const s = this.stats.get(role) ?? { count: 0, seconds: 0 };
      s.count++;
      s.seconds += Number(process.hrtime.bigint() - start) / 1e9;
      this.stats.set(role, s);
    }
  }

  of(role: FunctionRole): InvocationStats {
    return { ...(this.stats.get(role) ?? { count: 0, seconds: 0 }) };
  }

  reset(): void {
    this.stats = new Map();
  }

  async close(): Promise<void> {
    await this.inner.close();
  }
}
