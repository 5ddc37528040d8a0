/** Users for an authenticating test gateway, made from passwords as `kafkaless users add` makes them. */
import { scramCredential, SCRAM_MECHANISMS } from '../../lib/gateway/sasl/scram-credential.js';
import { UserStore } from '../../lib/gateway/sasl/user-store.js';
import type { UserCredentials, Users } from '../../lib/gateway/sasl/users-file.js';

/** Each user's credentials for every SCRAM mechanism, from its password. */
export function testUserCredentials(passwords: Readonly<Record<string, string>>): Users {
  const users = new Map<string, UserCredentials>();
  for (const [name, password] of Object.entries(passwords)) {
    users.set(name, Object.fromEntries(SCRAM_MECHANISMS.map((m) => [m, scramCredential(m, password)])));
  }
  return users;
}

export function testUsers(passwords: Readonly<Record<string, string>>): UserStore {
  return new UserStore(testUserCredentials(passwords));
}
