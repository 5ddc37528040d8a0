import { describe, expect, it } from 'vitest';
import { parseAddConfig, parseConfigPairs, parseDeleteConfig, parseOffsetTime, parsePartitionList } from '../../bin/cli/config-args.js';
import { CliUsageError } from '../../bin/cli/connect.js';

describe('kafka-configs.sh style arguments', () => {
  it('splits --add-config on commas outside brackets, a bracketed value being a list', () => {
    expect(parseAddConfig(['retention.ms=1000,cleanup.policy=[delete,compact]', 'leader.replication.throttled.replicas=[0:1,1:2],min.insync.replicas=2'])).toEqual([
      { name: 'retention.ms', value: '1000' },
      { name: 'cleanup.policy', value: 'delete,compact' },
      { name: 'leader.replication.throttled.replicas', value: '0:1,1:2' },
      { name: 'min.insync.replicas', value: '2' },
    ]);
    expect(() => parseAddConfig(['retention.ms'])).toThrow(CliUsageError);
  });

  it('takes --config k=v whole and --delete-config as comma lists', () => {
    expect(parseConfigPairs(['cleanup.policy=delete,compact'])).toEqual([{ name: 'cleanup.policy', value: 'delete,compact' }]);
    expect(parseDeleteConfig(['a,b', 'c'])).toEqual(['a', 'b', 'c']);
  });
});

describe('kafka-get-offsets.sh style arguments', () => {
  it('reads --time as latest, earliest, epoch ms or ISO-8601', () => {
    expect(parseOffsetTime('latest')).toBe('latest');
    expect(parseOffsetTime('-1')).toBe('latest');
    expect(parseOffsetTime('earliest')).toBe('earliest');
    expect(parseOffsetTime('-2')).toBe('earliest');
    expect(parseOffsetTime('1700000000000')).toBe(1_700_000_000_000);
    expect(parseOffsetTime('2024-05-01T12:00:00Z')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(() => parseOffsetTime('yesterday')).toThrow(CliUsageError);
    expect(() => parseOffsetTime('-3')).toThrow(CliUsageError);
  });

  it('reads --partitions as numbers and ranges', () => {
    expect(parsePartitionList('3,0-2,1')).toEqual([0, 1, 2, 3]);
    expect(() => parsePartitionList('2-1')).toThrow(CliUsageError);
    expect(() => parsePartitionList('x')).toThrow(CliUsageError);
  });
});
