/**
 * The CLI's subcommands, by name, each with the module that registers it
 * (loaded only when that subcommand runs) and the one-line summary the
 * top-level help shows without loading any of them.
 */
import type { Command } from 'commander';

export type Register = (program: Command) => void;

export interface Subcommand {
  /** The name the user types. */
  readonly name: string;
  /** The name and arguments, as the top-level help shows them. */
  readonly usage: string;
  readonly summary: string;
  readonly load: () => Promise<Register>;
}

export const SUBCOMMANDS: readonly Subcommand[] = [
  {
    name: 'local',
    usage: 'local',
    summary:
      'run the whole system on this machine (what `npm start` runs): DynamoDB Local, an S3 server and every Lambda function of the stack ' +
      "(in a project with a cdk.json: that app's stack, with its own functions and subscriptions)",
    load: async () => (await import('./local.js')).registerLocal,
  },
  {
    name: 'topics',
    usage: 'topics',
    summary: 'create, list, describe, alter and delete topics',
    load: async () => (await import('./topics.js')).registerTopics,
  },
  {
    name: 'groups',
    usage: 'groups',
    summary: 'list, describe, reset the offsets of, delete the offsets of, and delete consumer groups',
    load: async () => (await import('./groups.js')).registerGroups,
  },
  {
    name: 'produce',
    usage: 'produce <topic>',
    summary: 'produce one record per line of standard input',
    load: async () => (await import('./produce.js')).registerProduce,
  },
  {
    name: 'consume',
    usage: 'consume <topic>',
    summary: 'print records of a topic, one per line',
    load: async () => (await import('./consume.js')).registerConsume,
  },
  {
    name: 'maintenance',
    usage: 'maintenance',
    summary: 'log maintenance: segment rolling, retention, log compaction, garbage collection',
    load: async () => (await import('./maintenance.js')).registerMaintenance,
  },
  {
    name: 'transactions',
    usage: 'transactions',
    summary: "list and describe transactions and a partition's active producers",
    load: async () => (await import('./transactions.js')).registerTransactions,
  },
  {
    name: 'gateway',
    usage: 'gateway',
    summary: "serve the Kafka protocol (docs/GATEWAY.md) over the running local stack, or a deployed one with --stack (with this machine's AWS credentials)",
    load: async () => (await import('./gateway.js')).registerGateway,
  },
  {
    name: 'console',
    usage: 'console',
    summary: "serve the web console (docs/CONSOLE.md) on 127.0.0.1 over the running local stack, or a deployed one with --stack (with this machine's AWS credentials, which stay in this process)",
    load: async () => (await import('./console.js')).registerConsole,
  },
  {
    name: 'connect',
    usage: 'connect',
    summary: "the running local stack's connectors, or a deployed one's with --stack (with this machine's AWS credentials): list, status, pause, resume, restart (as Kafka Connect's REST API)",
    load: async () => (await import('./connectors.js')).registerConnectors,
  },
  {
    name: 'subscriptions',
    usage: 'subscriptions',
    summary: "the local stack's subscriptions (functions invoked with new records) and their lag per partition",
    load: async () => (await import('./subscriptions.js')).registerSubscriptions,
  },
  {
    name: 'users',
    usage: 'users',
    summary: "manage the Kafka gateway's SASL users file (SCRAM credentials, no passwords stored)",
    load: async () => (await import('./users.js')).registerUsers,
  },
];

/**
 * The subcommand the arguments name: the first operand after the program's
 * own options (`help NAME` names NAME). Undefined when there is none or it
 * is unknown.
 */
export function chosenSubcommand(program: Command, args: readonly string[]): Subcommand | undefined {
  const takesValue = new Set(program.options.filter((option) => option.required || option.optional).flatMap((option) => [option.long, option.short]));
  const operands: string[] = [];
  for (let i = 0; i < args.length && operands.length < 2; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1, i + 3));
      break;
    }
    if (arg.startsWith('-')) {
      if (takesValue.has(arg)) i++;
      continue;
    }
    operands.push(arg);
  }
  const [first, second] = operands;
  const name = first === 'help' ? second : first;
  return SUBCOMMANDS.find((subcommand) => subcommand.name === name);
}
