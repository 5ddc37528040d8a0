import { describe, expect, it } from 'vitest';
import { parseResetTarget } from '../../bin/cli/groups.js';
import { CliUsageError } from '../../bin/cli/connect.js';
import { formatAssignment, formatOffsetsCsv, parseDuration, parseOffsetsCsv, parseTopicSpec } from '../../bin/cli/group-options.js';

describe('kafkaless groups reset-offsets', () => {
  it('turns each --to option into a reset target', () => {
    expect(parseResetTarget({ toEarliest: true })).toBe('earliest');
    expect(parseResetTarget({ toLatest: true })).toBe('latest');
    expect(parseResetTarget({ toCurrent: true })).toBe('current');
    expect(parseResetTarget({ toOffset: '42' })).toEqual({ offset: 42 });
    expect(parseResetTarget({ shiftBy: '-3' })).toEqual({ shiftBy: -3 });
    expect(parseResetTarget({ shiftBy: '7' })).toEqual({ shiftBy: 7 });
    expect(parseResetTarget({ toDatetime: '2024-01-31T12:00:00Z' })).toEqual({ timestamp: Date.UTC(2024, 0, 31, 12) });
    expect(parseResetTarget({ byDuration: 'P1DT2H' }, Date.UTC(2024, 0, 31, 12))).toEqual({ timestamp: Date.UTC(2024, 0, 30, 10) });
  });

  it('rejects none, several, or malformed --to options as usage errors', () => {
    expect(() => parseResetTarget({})).toThrow(CliUsageError);
    expect(() => parseResetTarget({ toEarliest: true, toLatest: true })).toThrow(CliUsageError);
    expect(() => parseResetTarget({ toCurrent: true, shiftBy: '1' })).toThrow(CliUsageError);
    expect(() => parseResetTarget({ toOffset: '-1' })).toThrow(CliUsageError);
    expect(() => parseResetTarget({ toOffset: 'ten' })).toThrow(CliUsageError);
    expect(() => parseResetTarget({ shiftBy: '' })).toThrow(CliUsageError);
    expect(() => parseResetTarget({ shiftBy: '1.5' })).toThrow(CliUsageError);
    expect(() => parseResetTarget({ toDatetime: 'yesterday' })).toThrow(CliUsageError);
    expect(() => parseResetTarget({ byDuration: 'P100000000D' }, 0)).toThrow(CliUsageError);
  });

  it("reads ISO-8601 durations as Java's Duration.parse does", () => {
    expect(parseDuration('PT1H30M')).toBe(90 * 60_000);
    expect(parseDuration('P2D')).toBe(2 * 86_400_000);
    expect(parseDuration('P1DT1H1M1.5S')).toBe(86_400_000 + 3_600_000 + 60_000 + 1_500);
    expect(parseDuration('pt10s')).toBe(10_000);
    for (const bad of ['P', 'PT', 'P1H', '1H', 'PT1.2345S', 'P1DT', '']) expect(() => parseDuration(bad), bad).toThrow(CliUsageError);
  });

  it('reads --topic as a topic or topic:partitions', () => {
    expect(parseTopicSpec('orders')).toEqual({ topic: 'orders' });
    expect(parseTopicSpec('orders:0,2')).toEqual({ topic: 'orders', partitions: [0, 2] });
    expect(parseTopicSpec('orders', '1,3')).toEqual({ topic: 'orders', partitions: [1, 3] });
    for (const bad of ['orders:', 'orders:a', ':0', 'orders:1,,2']) expect(() => parseTopicSpec(bad), bad).toThrow(CliUsageError);
  });

  it("writes and reads Kafka's topic,partition,offset CSV", () => {
    const planned = [
      { topic: 'a', partition: 0, offset: 5 },
      { topic: 'b', partition: 2, offset: 0 },
    ];
    expect(formatOffsetsCsv(planned)).toBe('a,0,5\nb,2,0');
    expect(parseOffsetsCsv('a,0,5\r\n\nb,2,0\n', 'f.csv')).toEqual(planned);
    for (const bad of ['a,0', 'a,x,1', 'a,0,-1', ',0,1', '']) expect(() => parseOffsetsCsv(bad, 'f.csv'), bad).toThrow(CliUsageError);
  });

  it("formats an assignment as kafka-consumer-groups' ASSIGNMENT column", () => {
    expect(formatAssignment([{ topic: 'a', partitions: [0, 1] }, { topic: 'b', partitions: [2] }])).toBe('a(0,1),b(2)');
    expect(formatAssignment([])).toBe('-');
  });
});
