/**
 * The server side of a SCRAM exchange (RFC 5802 §5, as Kafka's
 * ScramSaslServer runs it, KIP-84): client-first `n,[a=authzid],n=user,r=cnonce`
 * → server-first `r=cnonce+snonce,s=salt,i=iterations` → client-final
 * `c=biws,r=nonce,p=proof` → server-final `v=signature`. No channel
 * binding (gs2 flag `n`); `tokenauth` extensions (delegation tokens) are refused.
 */
import { randomBytes } from 'node:crypto';
import { hash, hmac, sameBytes, xor, type ScramCredential, type ScramMechanism } from './scram-credential.js';
import { failed, type SaslServer, type SaslStep } from './sasl-server.js';
import type { UserStore } from './user-store.js';

const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/;
const CLIENT_FIRST = /^(n|y),(?:a=([^,]*))?,(n=([^,]*),r=([^,]*)(?:,(.*))?)$/s;
const CLIENT_FINAL = /^(c=([^,]*),r=([^,]*)(?:,.*)?),p=([A-Za-z0-9+/]+={0,2})$/s;

/** A SCRAM saslname (`=2C` for `,`, `=3D` for `=`) as the user name it stands for; undefined when malformed. */
export function decodeSaslName(name: string): string | undefined {
  if (/=(?!2C|3D)/.test(name)) return undefined;
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

export interface ScramServerOptions {
  /** The server's part of the nonce; random (printable, no comma) unless given. */
  readonly serverNonce?: () => string;
}

interface Started {
  readonly user: string;
  readonly credential: ScramCredential;
  readonly clientFirstBare: string;
  readonly serverFirst: string;
  readonly nonce: string;
  readonly gs2Header: string;
}

export function scramServer(mechanism: ScramMechanism, users: UserStore, options: ScramServerOptions = {}): SaslServer {
  let started: Started | undefined;
  let finished = false;
  const first = (message: string): SaslStep => {
    const match = CLIENT_FIRST.exec(message);
    if (match === null) return failed(`Invalid SCRAM client first message: ${JSON.stringify(message.slice(0, 100))}`);
    const [, flag, authzid, clientFirstBare, saslName, clientNonce, extensions] = match as unknown as [string, string, string | undefined, string, string, string, string | undefined];
    if (flag !== 'n') return failed('Authentication failed: channel binding is not supported');
    const user = decodeSaslName(saslName);
    if (user === undefined || user === '') return failed('Invalid SCRAM client first message: bad user name');
    if (!PRINTABLE.test(clientNonce)) return failed('Invalid SCRAM client first message: bad nonce');
    if (extensions !== undefined && /(^|,)tokenauth=true(,|$)/.test(extensions)) return failed('Authentication failed: delegation tokens are not supported');
    if (authzid !== undefined && authzid !== '' && decodeSaslName(authzid) !== user) return failed('Authentication failed: Client requested an authorization id that is different from username');
    const credential = users.lookup(user)?.[mechanism];
    if (credential === undefined) return failed('Authentication failed: Invalid user credentials');
    const nonce = clientNonce + (options.serverNonce?.() ?? randomBytes(24).toString('base64url'));
    const serverFirst = `r=${nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}`;
    started = { user, credential, clientFirstBare, serverFirst, nonce, gs2Header: message.slice(0, message.length - clientFirstBare.length) };
    return { kind: 'challenge', bytes: Buffer.from(serverFirst, 'utf8') };
  };
  const final = (s: Started, message: string): SaslStep => {
    const match = CLIENT_FINAL.exec(message);
    if (match === null) return failed('Invalid SCRAM client final message');
    const [, withoutProof, channelBinding, nonce, proof] = match as unknown as [string, string, string, string, string];
    // Kafka accepts a nonce that ends with the server-first one: librdkafka sends its own nonce before the whole of it.
    if (!nonce.endsWith(s.nonce)) return failed('Invalid client nonce in the final client message.');
    if (Buffer.from(channelBinding, 'base64').toString('utf8') !== s.gs2Header) return failed('Invalid channel binding in the final client message.');
    const authMessage = `${s.clientFirstBare},${s.serverFirst},${withoutProof}`;
    const clientSignature = hmac(mechanism, s.credential.storedKey, authMessage);
    const clientKey = xor(Buffer.from(proof, 'base64'), clientSignature);
    if (!sameBytes(hash(mechanism, clientKey), s.credential.storedKey)) return failed('Authentication failed: Invalid user credentials');
    const serverSignature = hmac(mechanism, s.credential.serverKey, authMessage);
    return { kind: 'done', bytes: Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8'), user: s.user };
  };
  return {
    async step(token: Buffer): Promise<SaslStep> {
      if (finished) return failed('Authentication failed: the SCRAM exchange is over');
      const message = token.toString('utf8');
      if (started === undefined) {
        const step = first(message);
        if (step.kind === 'failed') finished = true;
        return step;
      }
      finished = true;
      return final(started, message);
    },
  };
}
