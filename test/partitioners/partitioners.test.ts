import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import {
  choosePartition,
  createDefaultPartitioner,
  createRandomPartitioner,
  createRoundRobinPartitioner,
  partitionForKey,
  partitioners,
  type PartitionArgs,
  type Partitioner,
} from '../../lib/client/partitioners/index.js';

/** A replayable source of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A source that answers the given numbers in turn, then repeats the last. */
function scriptedRandom(values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)]!;
}

const record = (overrides: Partial<PartitionArgs> = {}): PartitionArgs => ({
  topic: 'orders',
  partitionCount: 6,
  key: null,
  value: Buffer.from('v'),
  ...overrides,
});

function expectUnknownPartition(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(KafkalessError);
    expect((err as KafkalessError).code).toBe('UnknownTopicOrPartition');
    return;
  }
  throw new Error('expected UnknownTopicOrPartition');
}

describe('default partitioner', () => {
  it('sends a keyed record to the murmur2 partition of its key', () => {
    const partitioner = createDefaultPartitioner(seededRandom(1));
    const key = Buffer.from('customer-42');
    expect(partitioner(record({ key, partitionCount: 12 }))).toBe(partitionForKey(key, 12));
  });

  it('hashes an empty key instead of treating it as null', () => {
    const partitioner = createDefaultPartitioner(scriptedRandom([0.99]));
    expect(partitioner(record({ key: Buffer.alloc(0), partitionCount: 7 }))).toBe(275646681 % 7);
  });

  it('keeps sending null-key records of a topic to one partition until a new batch starts', () => {
    const partitioner = createDefaultPartitioner(seededRandom(7));
    const first = partitioner(record());
    for (let i = 0; i < 50; i++) expect(partitioner(record())).toBe(first);
  });

  it('moves to a different partition after onNewBatch', () => {
    const partitioner = createDefaultPartitioner(seededRandom(3));
    let previous = partitioner(record());
    for (let i = 0; i < 100; i++) {
      partitioner.onNewBatch('orders');
      const next = partitioner(record());
      expect(next).not.toBe(previous);
      expect(partitioner(record())).toBe(next);
      previous = next;
    }
  });

  it('keeps one sticky partition per topic', () => {
    const partitioner = createDefaultPartitioner(scriptedRandom([0.1, 0.9]));
    const orders = partitioner(record({ topic: 'orders' }));
    const payments = partitioner(record({ topic: 'payments' }));
    expect([orders, payments]).toEqual([0, 5]);
    partitioner.onNewBatch('payments');
    expect(partitioner(record({ topic: 'orders' }))).toBe(orders);
  });

  it('stays on the only partition of a one-partition topic after onNewBatch', () => {
    const partitioner = createDefaultPartitioner(seededRandom(5));
    expect(partitioner(record({ partitionCount: 1 }))).toBe(0);
    partitioner.onNewBatch('orders');
    expect(partitioner(record({ partitionCount: 1 }))).toBe(0);
  });

  it('spreads new sticky partitions uniformly over the other partitions', () => {
    const partitioner = createDefaultPartitioner(seededRandom(11));
    const counts = new Array<number>(4).fill(0);
    for (let i = 0; i < 4000; i++) {
      counts[partitioner(record({ partitionCount: 4 }))]! += 1;
      partitioner.onNewBatch('orders');
    }
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });

  it('chooses again when the sticky partition no longer exists', () => {
    const partitioner = createDefaultPartitioner(scriptedRandom([0.99, 0.5]));
    expect(partitioner(record({ partitionCount: 6 }))).toBe(5);
    expect(partitioner(record({ partitionCount: 2 }))).toBe(1);
  });
});

describe('round-robin partitioner', () => {
  it('cycles through every partition in order, ignoring keys', () => {
    const partitioner = createRoundRobinPartitioner();
    const got = Array.from({ length: 9 }, (_, i) =>
      partitioner(record({ partitionCount: 4, key: Buffer.from(`k${i % 2}`) })),
    );
    expect(got).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0]);
  });

  it('keeps a separate counter per topic', () => {
    const partitioner = createRoundRobinPartitioner();
    expect(partitioner(record({ topic: 'a', partitionCount: 3 }))).toBe(0);
    expect(partitioner(record({ topic: 'a', partitionCount: 3 }))).toBe(1);
    expect(partitioner(record({ topic: 'b', partitionCount: 3 }))).toBe(0);
    expect(partitioner(record({ topic: 'a', partitionCount: 3 }))).toBe(2);
  });
});

describe('random partitioner', () => {
  it('draws every record from the injected random source', () => {
    const partitioner = createRandomPartitioner(scriptedRandom([0, 0.5, 0.999]));
    const key = Buffer.from('same-key');
    expect([1, 2, 3].map(() => partitioner(record({ key, partitionCount: 10 })))).toEqual([0, 5, 9]);
  });
});

describe('every partitioner', () => {
  const all: Array<[string, () => Partitioner]> = [
    ['default', () => createDefaultPartitioner(seededRandom(1))],
    ['round-robin', () => createRoundRobinPartitioner()],
    ['random', () => createRandomPartitioner(seededRandom(2))],
  ];

  it.each(all)('%s lets an explicit partition win', (_name, make) => {
    const partitioner = make();
    expect(partitioner(record({ explicitPartition: 4, key: Buffer.from('k') }))).toBe(4);
    expect(partitioner(record({ explicitPartition: 0 }))).toBe(0);
  });

  it.each(all)('%s rejects an explicit partition out of range', (_name, make) => {
    const partitioner = make();
    expectUnknownPartition(() => partitioner(record({ explicitPartition: 6 })));
    expectUnknownPartition(() => partitioner(record({ explicitPartition: -1 })));
    expectUnknownPartition(() => partitioner(record({ explicitPartition: 1.5 })));
  });

  it.each(all)('%s rejects a topic without partitions', (_name, make) => {
    expectUnknownPartition(() => make()(record({ partitionCount: 0 })));
  });

  it.each(all)('%s always answers a partition in range', (_name, make) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.option(fc.uint8Array({ maxLength: 16 }), { nil: null }),
        (count, key) => {
          const partition = make()(record({ partitionCount: count, key: key === null ? null : Buffer.from(key) }));
          expect(partition).toBeGreaterThanOrEqual(0);
          expect(partition).toBeLessThan(count);
        },
      ),
    );
  });

  it('names the built-in partitioners', () => {
    expect(Object.keys(partitioners).sort()).toEqual(['default', 'random', 'round-robin']);
    expect(partitioners['round-robin']()(record())).toBe(0);
  });

  it('checks the answer of a custom partitioner', () => {
    const custom: Partitioner = (args) => args.partitionCount - 1;
    expect(choosePartition(custom, record())).toBe(5);
    expectUnknownPartition(() => choosePartition(() => 6, record()));
  });
});
