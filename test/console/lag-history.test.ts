import { describe, expect, it } from 'vitest';
import { Admin } from '../../lib/client/admin.js';
import type { ConsumerGroupDescription } from '../../lib/client/admin-groups.js';
import type { Transport } from '../../lib/client/transport.js';
import { LagHistory } from '../../lib/console/lag-history.js';

const unused: Transport = { invoke: () => Promise.reject(new Error('not called')), close: async () => undefined };

function group(lags: (number | null)[]): ConsumerGroupDescription {
  return {
    groupId: 'g',
    state: 'Stable',
    protocol: 'range',
    protocolType: 'consumer',
    type: 'consumer',
    members: [],
    groupEpoch: 1,
    assignmentEpoch: 1,
    partitions: lags.map((lag, partition) => ({ topic: 't', partition, committedOffset: lag === null ? null : 0, logEndOffset: lag ?? 0, lag, memberId: null })),
  };
}

describe("the console's lag history", () => {
  it('keeps samples per group for keepMs, one per second at most, with the total and each partition', () => {
    let now = 10_000;
    const history = new LagHistory(new Admin(unused), { keepMs: 60_000 }, () => now);
    history.record(group([3, null]));
    now += 500;
    history.record(group([2, 1]));
    expect(history.samples('g')).toEqual([{ t: 10_500, total: 3, partitions: { 't/0': 2, 't/1': 1 } }]);
    now += 30_000;
    history.record(group([1, 0]));
    now += 40_000;
    history.record(group([0, 0]));
    expect(history.samples('g').map((s) => [s.t, s.total])).toEqual([[40_500, 1], [80_500, 0]]);
    expect(history.samples('other')).toEqual([]);
  });
});
