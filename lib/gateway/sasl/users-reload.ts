/**
 * Users kept fresh from where they are stored (the gateway container's
 * Secrets Manager secret): read once at start (a failure fails the start),
 * then re-read every interval into the same store; a failed or bad re-read
 * is logged and the users held stay in force.
 */
import type { Logger } from '../../broker/dispatch.js';
import { UserStore } from './user-store.js';
import { parseUsers } from './users-file.js';

/** How often a running gateway re-reads its users. */
export const USERS_RELOAD_MS = 5 * 60_000;

export interface ReloadingUsers {
  readonly store: UserStore;
  /** Reads again now (what the timer does). */
  reload(): Promise<void>;
  stop(): void;
}

export async function reloadingUsers(options: { read: () => Promise<string>; source: string; log: Logger; intervalMs?: number }): Promise<ReloadingUsers> {
  const store = new UserStore(parseUsers(await options.read(), options.source));
  const reload = async (): Promise<void> => {
    try {
      const users = parseUsers(await options.read(), options.source);
      const before = store.size();
      store.replace(users);
      if (users.size !== before) options.log('info', 'Kafka gateway users re-read', { source: options.source, users: users.size });
    } catch (err) {
      options.log('error', 'Kafka gateway users could not be re-read; the previous ones stay in force', { source: options.source, error: err instanceof Error ? err.message : String(err) });
    }
  };
  const timer = setInterval(() => void reload(), options.intervalMs ?? USERS_RELOAD_MS);
  timer.unref();
  return { store, reload, stop: () => clearInterval(timer) };
}
