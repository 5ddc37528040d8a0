import { describe, expect, it } from 'vitest';
import { parseResetTarget } from '../../bin/cli/groups.js';
import { CliUsageError } from '../../bin/cli/connect.js';

describe('kafkaless groups reset-offsets', () => {
  it('turns each --to option into a reset target', () => {
    expect(parseResetTarget({ toEarliest: true })).toBe('earliest');
    expect(parseResetTarget({ toLatest: true })).toBe('latest');
    expect(parseResetTarget({ toOffset: '42' })).toEqual({ offset: 42 });
    expect(parseResetTarget({ toDatetime: '2024-01-31T12:00:00Z' })).toEqual({ timestamp: Date.UTC(2024, 0, 31, 12) });
  });

  it('rejects none, several, or malformed --to options as usage errors', () => {
    expect(() => parseResetTarget({})).toThrow(CliUsageError);
    expect(() => parseResetTarget({ toEarliest: true, toLatest: true })).toThrow(CliUsageError);
    expect(() => parseResetTarget({ toOffset: '-1' })).toThrow(CliUsageError);
    expect(() => parseResetTarget({ toOffset: 'ten' })).toThrow(CliUsageError);
    expect(() => parseResetTarget({ toDatetime: 'yesterday' })).toThrow(CliUsageError);
  });
});
