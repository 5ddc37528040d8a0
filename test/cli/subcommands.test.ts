/**
 * The CLI's table of subcommands matches what each module registers, and
 * the subcommand to load is read from the arguments as commander reads them.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { SUBCOMMANDS, chosenSubcommand } from '../../bin/cli/subcommands.js';

function globalOptions(): Command {
  return new Command('kafkaless').option('--stack <name>').option('--region <region>').option('--json');
}

function usageOf(command: Command): string {
  const args = command.registeredArguments.map((arg) => {
    const name = arg.name() + (arg.variadic ? '...' : '');
    return arg.required ? `<${name}>` : `[${name}]`;
  });
  return [command.name(), ...args].join(' ');
}

describe('the subcommand table', () => {
  it.each(SUBCOMMANDS.map((subcommand) => [subcommand.name, subcommand] as const))('names and summarizes what the %s module registers', async (_name, subcommand) => {
    const program = new Command('kafkaless');
    (await subcommand.load())(program);
    expect(program.commands.map((command) => command.name())).toEqual([subcommand.name]);
    expect(usageOf(program.commands[0]!)).toBe(subcommand.usage);
    expect(program.commands[0]!.description()).toBe(subcommand.summary);
  });
});

describe('the chosen subcommand', () => {
  const chosen = (...args: string[]): string | undefined => chosenSubcommand(globalOptions(), args)?.name;

  it('is the first operand, after the global options and their values', () => {
    expect(chosen('topics', 'list')).toBe('topics');
    expect(chosen('--stack', 'produce', 'consume', 'orders')).toBe('consume');
    expect(chosen('--stack=Kafkaless', '--region', 'eu-west-1', '--json', 'groups', 'list')).toBe('groups');
  });

  it('is the one named after help', () => {
    expect(chosen('help', 'maintenance')).toBe('maintenance');
  });

  it('is none for the top-level help and for an unknown command', () => {
    expect(chosen()).toBeUndefined();
    expect(chosen('--help')).toBeUndefined();
    expect(chosen('help')).toBeUndefined();
    expect(chosen('bogus', 'topics')).toBeUndefined();
  });
});
