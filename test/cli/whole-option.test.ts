/** Whole-number options (`--port`, `kafkaless gateway --linger-ms`): a value out of range is a usage error naming the flag. */
import { Command, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerGateway } from '../../bin/cli/gateway.js';
import { portOption, wholeOption } from '../../bin/cli/port-option.js';

describe('whole-number options', () => {
  it('take whole numbers in range and refuse the rest', () => {
    expect(wholeOption('--linger-ms', 0, 1000)('0')).toBe(0);
    expect(() => wholeOption('--linger-ms', 0, 1000)('1001')).toThrow(new InvalidArgumentError('--linger-ms must be a whole number from 0 to 1000 (got 1001)'));
    expect(() => portOption('--port')('80.5')).toThrow('--port must be a port number from 0 to 65535 (got 80.5)');
  });

  it('give kafkaless gateway its produce linger: 5 ms and 4 MiB by default', () => {
    const program = new Command('kafkaless');
    registerGateway(program);
    const gateway = program.commands[0]!;
    gateway.parseOptions([]);
    expect(gateway.opts()).toMatchObject({ lingerMs: 5, lingerMaxBytes: 4 * 1024 * 1024 });
    gateway.parseOptions(['--linger-ms', '0']);
    expect(gateway.opts()).toMatchObject({ lingerMs: 0 });
  });
});
