/**
 * Crashes for the transaction tests: a fault that fires at the n-th pass of
 * one point, and a transport that refuses every call once its client
 * "died" there, so nothing of the dead instance runs on (as a process that
 * crashed makes no more calls).
 */
import { KafkalessError } from '../../lib/errors.js';
import { InjectedFault, type FaultInjector, type FaultPoint } from '../../lib/faults.js';
import { createBrokerContext, type BrokerContext } from '../../lib/broker/context.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import type { InvokeOptions, Transport } from '../../lib/client/transport.js';
import type { FunctionRole } from '../../lib/names.js';
import type { TestKafkaless } from '../support/embedded.js';

export class CrashableTransport implements Transport {
  dead = false;
  constructor(private readonly inner: Transport) {}

  async invoke(role: FunctionRole, request: object, options?: InvokeOptions): Promise<unknown> {
    if (this.dead) throw new KafkalessError('UnknownServerError', 'This client crashed; it makes no more calls');
    return this.inner.invoke(role, request, options);
  }

  async close(): Promise<void> {
    await this.inner.close();
  }
}

/** Throws at the n-th pass of `point`, and then calls `onCrash`. */
export function crashAt(point: FaultPoint, nth: number, onCrash: () => void = () => undefined): FaultInjector {
  let seen = 0;
  return {
    async at(p) {
      if (p !== point) return;
      seen++;
      if (seen !== nth) return;
      onCrash();
      throw new InjectedFault(p);
    },
  };
}

/** A client whose broker side crashes at `point` (n-th pass) and which makes no call after that. */
export function crashingClient(t: TestKafkaless, point: FaultPoint, nth = 1): { kafkaless: Kafkaless; transport: CrashableTransport } {
  let transport!: CrashableTransport;
  const inner = t.another({ faults: crashAt(point, nth, () => (transport.dead = true)) }).transport;
  transport = new CrashableTransport(inner);
  return { kafkaless: new Kafkaless({ transport }), transport };
}

/** A broker context on the test tables, with its clock at `nowMs`. */
export function contextAt(t: TestKafkaless, nowMs: number): BrokerContext {
  return createBrokerContext({ dynamodb: t.clients.dynamodb, s3: t.clients.s3, tables: t.tables, bucket: t.bucket, now: () => nowMs });
}
