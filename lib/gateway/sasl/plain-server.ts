/**
 * SASL PLAIN (RFC 4616) as Kafka serves it: one token
 * `authzid NUL authcid NUL password`, the authzid empty or the same user.
 * The password is checked against the user's stored SCRAM credential (the
 * SHA-512 one when there is one), so no password is ever stored.
 */
import { passwordMatches, SCRAM_MECHANISMS } from './scram-credential.js';
import { failed, type SaslServer, type SaslStep } from './sasl-server.js';
import type { UserStore } from './user-store.js';

export function plainServer(users: UserStore): SaslServer {
  let finished = false;
  return {
    async step(token: Buffer): Promise<SaslStep> {
      if (finished) return failed('Authentication failed: PLAIN takes one token');
      finished = true;
      const parts = token.toString('utf8').split('\u0000');
      if (parts.length !== 3) return failed('Invalid SASL/PLAIN response: expected 3 tokens');
      const [authzid, user, password] = parts as [string, string, string];
      if (user === '') return failed('Authentication failed: username not specified');
      if (password === '') return failed('Authentication failed: password not specified');
      if (authzid !== '' && authzid !== user) return failed('Authentication failed: Client requested an authorization id that is different from username');
      const credentials = users.lookup(user);
      // The strongest credential the user has: SHA-512 before SHA-256.
      const mechanism = [...SCRAM_MECHANISMS].reverse().find((m) => credentials?.[m] !== undefined);
      if (credentials === undefined || mechanism === undefined || !(await passwordMatches(mechanism, credentials[mechanism]!, password))) {
        return failed('Authentication failed: Invalid username or password');
      }
      return { kind: 'done', bytes: Buffer.alloc(0), user };
    },
  };
}
