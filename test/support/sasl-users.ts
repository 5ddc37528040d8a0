/** Users for an authenticating test gateway, made from passwords as `kafkaless users add` makes them. */
import { scramCredential, SCRAM_MECHANISMS } from '../../lib/gateway/sasl/scram-credential.js';
import { UserStore } from '../../lib/gateway/sasl/user-store.js';
import type { UserCredentials } from '../../lib/gateway/sasl/users-file.js';

export function testUsers(passwords: Readonly<Record<string, string>>): UserStore {
  const users = new Map<string, UserCredentials>();
  for (const [name, password] of Object.entries(passwords)) {
    users.set(name, Object.fromEntries(SCRAM_MECHANISMS.map((m) => [m, scramCredential(m, password)])));
  }
  return new UserStore(users);
}
