/**
 * Liveness: an operation that never settles is a bug too (a lost wake-up, a
 * dropped promise), and would otherwise hang the run silently. Each
 * operation gets a deadline; past it, the stall is reported and the
 * operation abandoned.
 */
export class Stalled extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'Stalled';
  }
}

export async function withDeadline<T>(operation: Promise<T>, deadlineMs: number, describe: () => string, onStall: (description: string) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const description = describe();
      onStall(description);
      reject(new Stalled(description));
    }, deadlineMs);
  });
  try {
    return await Promise.race([operation, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A producer's internals, for a stall report (private fields read on purpose: this is a diagnostic). */
export function describeProducerState(producer: object): string {
  const p = producer as { open?: Map<string, unknown>; sender?: { lanes?: Map<string, Record<string, unknown>>; draining?: boolean; timer?: unknown } };
  const lanes = [...(p.sender?.lanes ?? new Map<string, Record<string, unknown>>())].map(([key, lane]) => {
    const batches = (lane.batches as Record<string, unknown>[] | undefined) ?? [];
    const shown = batches.map((b) => `${String(b.state)}#seq${String(b.baseSequence)}x${String((b.records as unknown[] | undefined)?.length)}a${String(b.attempts)}`);
    return `${key.replace('\u0000', '-')}: inFlight ${String(lane.inFlight)}, recovering ${String(lane.recovering)}, next ${String(lane.nextSequence)}, acked ${String(lane.ackedNextSequence)}, batches [${shown.join(' ')}]`;
  });
  return `open batches ${p.open?.size ?? '?'}, sender draining ${String(p.sender?.draining)}, timer ${p.sender?.timer === undefined ? 'none' : 'set'}; ${lanes.join('; ')}`;
}
