/**
 * `kafkaless users`: the gateway's users file, as Kafka's
 * `kafka-configs --alter --add-config 'SCRAM-SHA-512=[iterations=8192,password=…]' --entity-type users --entity-name alice`
 * keeps SCRAM credentials: `add` stores a salted credential per mechanism
 * (never the password, read from standard input), `remove` drops a user,
 * `list` shows who has which mechanisms.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_ITERATIONS, SCRAM_MECHANISMS, isScramMechanism, scramCredential, type ScramMechanism } from '../../lib/gateway/sasl/scram-credential.js';
import { readUsersFile, writeUsersFile, type UserCredentials, type Users } from '../../lib/gateway/sasl/users-file.js';
import { CliUsageError } from './connect.js';

interface FileOption {
  readonly file: string;
}

async function usersIn(file: string): Promise<Map<string, UserCredentials>> {
  return new Map(existsSync(file) ? await readUsersFile(file) : []);
}

async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password === '') throw new CliUsageError('no password on standard input (e.g. `printf %s "$PASSWORD" | kafkaless users add NAME --password-stdin --file users.json`)');
  return password;
}

function mechanismOption(value: string, previous: ScramMechanism[] | undefined): ScramMechanism[] {
  if (!isScramMechanism(value)) throw new CliUsageError(`--mechanism must be one of ${SCRAM_MECHANISMS.join(', ')}, got '${value}'`);
  return [...(previous ?? []), value];
}

function iterationsOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new CliUsageError(`--iterations must be a whole number, got '${value}'`);
  return n;
}

/** The users with `name` given credentials for `mechanisms` (its other mechanisms kept). */
export function withUser(users: Users, name: string, password: string, mechanisms: readonly ScramMechanism[], iterations: number): Map<string, UserCredentials> {
  const next = new Map(users);
  const credentials: Partial<Record<ScramMechanism, UserCredentials[ScramMechanism]>> = { ...(users.get(name) ?? {}) };
  for (const mechanism of mechanisms) credentials[mechanism] = scramCredential(mechanism, password, { iterations });
  next.set(name, credentials);
  return next;
}

export function registerUsers(program: Command): void {
  const users = program.command('users').description("manage the Kafka gateway's SASL users file (SCRAM credentials, no passwords stored)");
  users
    .command('add <name>')
    .description('add a user, or set its password, for the given mechanisms (both SCRAM ones by default; PLAIN logins check the same credentials)')
    .requiredOption('--file <file>', 'the users file (made if missing)')
    .requiredOption('--password-stdin', 'read the password from standard input')
    .option('--mechanism <mechanism>', `${SCRAM_MECHANISMS.join(' or ')}; repeat for both (default: both)`, mechanismOption)
    .option('--iterations <n>', `PBKDF2 iterations, 4096 to 16384 (default ${DEFAULT_ITERATIONS})`, iterationsOption)
    .action(async (name: string, options: FileOption & { mechanism?: ScramMechanism[]; iterations?: number }) => {
      if (name === '') throw new CliUsageError('the user name must not be empty');
      const password = await readPassword();
      let next: Map<string, UserCredentials>;
      try {
        next = withUser(await usersIn(options.file), name, password, options.mechanism ?? SCRAM_MECHANISMS, options.iterations ?? DEFAULT_ITERATIONS);
      } catch (err) {
        throw new CliUsageError(err instanceof Error ? err.message : String(err));
      }
      await writeUsersFile(options.file, next);
      process.stdout.write(`User ${name}: ${(options.mechanism ?? SCRAM_MECHANISMS).join(', ')} in ${options.file}\n`);
    });
  users
    .command('remove <name>')
    .description('remove a user')
    .requiredOption('--file <file>', 'the users file')
    .action(async (name: string, options: FileOption) => {
      const current = await usersIn(options.file);
      if (!current.delete(name)) throw new CliUsageError(`no user ${name} in ${options.file}`);
      await writeUsersFile(options.file, current);
      process.stdout.write(`Removed user ${name} from ${options.file}\n`);
    });
  users
    .command('list')
    .description('list the users and their mechanisms')
    .requiredOption('--file <file>', 'the users file')
    .action(async (options: FileOption) => {
      for (const [name, credentials] of await usersIn(options.file)) {
        const mechanisms = SCRAM_MECHANISMS.filter((m) => credentials[m] !== undefined).map((m) => `${m} (${credentials[m]!.iterations} iterations)`);
        process.stdout.write(`${name}\t${mechanisms.join(', ')}\n`);
      }
    });
}
