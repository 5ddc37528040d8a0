/** The produce window's rules, with a recording writer in place of the log: when windows close, in what order they are written. */
import { describe, expect, it } from 'vitest';
import { ProduceAggregator } from '../../lib/broker/produce/produce-aggregator.js';
import type { ProduceOutcome } from '../../lib/broker/produce/produce.js';
import type { ProduceRequest } from '../../lib/protocol/log-requests.js';

/** A request of `bytes` batch bytes to partition 0 of `topic` (the batch is base64: 4 characters a 3 bytes). */
function request(topic: string, bytes = 3): ProduceRequest {
  return { action: 'produce', entries: [{ topic, partition: 0, batch: 'AAAA'.repeat(bytes / 3) }] } as ProduceRequest;
}

function recorder(delayMs = 0) {
  const windows: string[][] = [];
  let active = 0;
  let overlapped = false;
  const write = async (requests: readonly ProduceRequest[]): Promise<ProduceOutcome[]> => {
    active += 1;
    overlapped ||= active > 1;
    windows.push(requests.map((r) => r.entries[0]!.topic));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    active -= 1;
    return requests.map((r) => (r.entries[0]!.topic === 'bad' ? { error: new Error('refused') } : { reply: { entries: [] } }));
  };
  return { write, windows, overlapped: () => overlapped };
}

describe('the produce window', () => {
  it('gathers what is handed in within the linger and writes it once, in order', async () => {
    const r = recorder();
    const aggregator = new ProduceAggregator(r.write, { lingerMs: 30, maxBytes: 1_000_000 });
    await Promise.all(['a', 'b', 'c'].map((t) => aggregator.submit(request(t))));
    expect(r.windows).toEqual([['a', 'b', 'c']]);
  });

  it('answers each request with its own outcome', async () => {
    const r = recorder();
    const aggregator = new ProduceAggregator(r.write, { lingerMs: 10, maxBytes: 1_000_000 });
    const outcomes = await Promise.allSettled(['a', 'bad', 'c'].map((t) => aggregator.submit(request(t))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('closes a window at its byte cap, and a request that would overflow it opens the next', async () => {
    const r = recorder();
    const aggregator = new ProduceAggregator(r.write, { lingerMs: 50, maxBytes: 9 });
    await Promise.all(['a', 'b', 'c', 'd'].map((t) => aggregator.submit(request(t, 6))));
    expect(r.windows).toEqual([['a'], ['b'], ['c'], ['d']]);
    const r2 = recorder();
    const filling = new ProduceAggregator(r2.write, { lingerMs: 1_000, maxBytes: 9 });
    await Promise.all(['a', 'b', 'c'].map((t) => filling.submit(request(t, 3))));
    expect(r2.windows).toEqual([['a', 'b', 'c']]);
  });

  it('writes one window at a time, the next gathering meanwhile', async () => {
    const r = recorder(40);
    const aggregator = new ProduceAggregator(r.write, { lingerMs: 1, maxBytes: 1_000_000 });
    const first = aggregator.submit(request('a'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const rest = ['b', 'c', 'd'].map((t) => aggregator.submit(request(t)));
    await Promise.all([first, ...rest]);
    expect(r.windows).toEqual([['a'], ['b', 'c', 'd']]);
    expect(r.overlapped()).toBe(false);
  });

  it('with no linger, writes at once what came while the writer was busy', async () => {
    const r = recorder(20);
    const aggregator = new ProduceAggregator(r.write, { lingerMs: 0, maxBytes: 1_000_000 });
    await Promise.all(['a', 'b', 'c'].map((t) => aggregator.submit(request(t))));
    expect(r.windows).toEqual([['a'], ['b', 'c']]);
  });
});
