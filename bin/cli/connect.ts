/**
 * Finds what the CLI talks to: a deployed stack (`--stack NAME`), or else the
 * running local stack, found by its state file under `.kafkaless/`.
 */
import { findLocalStackState } from '../../lib/config/local-stack-state.js';
import { findProjectRoot } from '../../lib/infra/project-root.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';

export interface ConnectOptions {
  readonly stack?: string;
  readonly region?: string;
}

export class CliUsageError extends Error {}

export function connect(options: ConnectOptions): Kafkaless {
  if (options.stack !== undefined) {
    return new Kafkaless({ stackName: options.stack, ...(options.region !== undefined ? { region: options.region } : {}) });
  }
  // From the working directory upwards, then this package's root (where `npm start` keeps it).
  const local = findLocalStackState(process.cwd(), [findProjectRoot(import.meta.url)]);
  if (local === undefined) {
    throw new CliUsageError('No local stack is running. Start one with `npm start` (or `npx kafkaless local`), or name a deployed stack with --stack NAME.');
  }
  return new Kafkaless({ local: { from: local.root } });
}

export type AdminClient = ReturnType<Kafkaless['admin']>;

/** Runs `work` with an admin client of what the global options name, closing the connection after. */
export async function withAdmin<T>(options: ConnectOptions, work: (admin: AdminClient) => Promise<T>): Promise<T> {
  const kafkaless = connect(options);
  try {
    return await work(kafkaless.admin());
  } finally {
    await kafkaless.close();
  }
}
