/**
 * The SCRAM math and the server's exchange against RFC 7677 §3's
 * SCRAM-SHA-256 example (user "user", password "pencil"), and PLAIN checked
 * against a stored SCRAM credential.
 */
import { describe, expect, it } from 'vitest';
import { plainServer } from '../../../lib/gateway/sasl/plain-server.js';
import { ANONYMOUS, SaslSession } from '../../../lib/gateway/sasl/sasl-session.js';
import { clientKeyOf, hash, hmac, passwordMatches, saltedPassword, scramCredential, xor } from '../../../lib/gateway/sasl/scram-credential.js';
import { decodeSaslName, scramServer } from '../../../lib/gateway/sasl/scram-server.js';
import { UserStore } from '../../../lib/gateway/sasl/user-store.js';
import { parseUsers, usersJson } from '../../../lib/gateway/sasl/users-file.js';

const RFC7677 = {
  salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'),
  iterations: 4096,
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal: 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

function rfcUsers(): UserStore {
  const credential = scramCredential('SCRAM-SHA-256', 'pencil', { salt: RFC7677.salt, iterations: RFC7677.iterations });
  return new UserStore(new Map([['user', { 'SCRAM-SHA-256': credential }]]));
}

describe('SCRAM-SHA-256 against RFC 7677', () => {
  it('the server answers the example exchange byte for byte', async () => {
    const server = scramServer('SCRAM-SHA-256', rfcUsers(), { serverNonce: () => RFC7677.serverNonce });
    const first = await server.step(Buffer.from(RFC7677.clientFirst));
    expect(first.kind).toBe('challenge');
    expect(first.kind === 'challenge' && first.bytes.toString()).toBe(RFC7677.serverFirst);
    const final = await server.step(Buffer.from(RFC7677.clientFinal));
    expect(final).toEqual({ kind: 'done', user: 'user', bytes: Buffer.from(RFC7677.serverFinal) });
  });

  it("the example's proof is ClientKey XOR HMAC(StoredKey, AuthMessage)", async () => {
    const salted = saltedPassword('SCRAM-SHA-256', 'pencil', RFC7677.salt, 4096);
    const clientKey = clientKeyOf('SCRAM-SHA-256', salted);
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,${RFC7677.serverFirst},c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0`;
    const proof = xor(clientKey, hmac('SCRAM-SHA-256', hash('SCRAM-SHA-256', clientKey), authMessage));
    expect(proof.toString('base64')).toBe('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=');
  });

  it('a wrong proof fails with invalid credentials', async () => {
    const server = scramServer('SCRAM-SHA-256', rfcUsers(), { serverNonce: () => RFC7677.serverNonce });
    await server.step(Buffer.from(RFC7677.clientFirst));
    const bad = RFC7677.clientFinal.replace('p=dHzb', 'p=dHzc');
    expect(await server.step(Buffer.from(bad))).toEqual({ kind: 'failed', message: 'Authentication failed: Invalid user credentials' });
  });

  it('a final message with another nonce fails', async () => {
    const server = scramServer('SCRAM-SHA-256', rfcUsers(), { serverNonce: () => RFC7677.serverNonce });
    await server.step(Buffer.from(RFC7677.clientFirst));
    const step = await server.step(Buffer.from(RFC7677.clientFinal.replace('k0,p=', 'k1,p=')));
    expect(step).toMatchObject({ kind: 'failed', message: expect.stringContaining('nonce') });
  });

  it('an unknown user, channel binding and a malformed first message fail at the first step', async () => {
    const users = rfcUsers();
    expect(await scramServer('SCRAM-SHA-256', users).step(Buffer.from('n,,n=nobody,r=abc'))).toMatchObject({ kind: 'failed', message: 'Authentication failed: Invalid user credentials' });
    expect(await scramServer('SCRAM-SHA-256', users).step(Buffer.from('p=tls-unique,,n=user,r=abc'))).toMatchObject({ kind: 'failed' });
    expect(await scramServer('SCRAM-SHA-256', users).step(Buffer.from('y,,n=user,r=abc'))).toMatchObject({ kind: 'failed', message: expect.stringContaining('channel binding') });
    expect(await scramServer('SCRAM-SHA-512', users).step(Buffer.from(RFC7677.clientFirst))).toMatchObject({ kind: 'failed', message: 'Authentication failed: Invalid user credentials' });
  });

  it('saslnames decode =2C and =3D and refuse other escapes', async () => {
    expect(decodeSaslName('a=2Cb=3Dc')).toBe('a,b=c');
    expect(decodeSaslName('a=41')).toBeUndefined();
  });
});

describe('stored credentials', () => {
  it('SCRAM-SHA-512 credentials have 64-byte keys and a 64-byte salt, and check their password', async () => {
    const credential = scramCredential('SCRAM-SHA-512', 'alice-secret', { iterations: 8192 });
    expect([credential.salt.length, credential.storedKey.length, credential.serverKey.length, credential.iterations]).toEqual([64, 64, 64, 8192]);
    expect(await passwordMatches('SCRAM-SHA-512', credential, 'alice-secret')).toBe(true);
    expect(await passwordMatches('SCRAM-SHA-512', credential, 'alice-secreT')).toBe(false);
  });

  it('iterations outside Kafka\'s 4096-16384 are refused', async () => {
    expect(() => scramCredential('SCRAM-SHA-256', 'p', { iterations: 1000 })).toThrow('SCRAM-SHA-256 iterations must be a whole number from 4096 to 16384, got 1000');
  });

  it('a users file round-trips and names a bad field', async () => {
    const users = new Map([['alice', { 'SCRAM-SHA-512': scramCredential('SCRAM-SHA-512', 'pw') }]]);
    expect(parseUsers(JSON.stringify(usersJson(users)), 'users.json')).toEqual(users);
    expect(() => parseUsers('{"users":{"bob":{"SCRAM-SHA-1":{}}}}', 'users.json')).toThrow(/^users\.json is not a users file: users\.bob/);
    expect(() => parseUsers('nope', 'users.json')).toThrow(/^users\.json is not JSON/);
  });
});

describe('PLAIN against stored SCRAM credentials', () => {
  const users = new UserStore(new Map([['alice', { 'SCRAM-SHA-512': scramCredential('SCRAM-SHA-512', 'alice-secret') }]]));

  it('accepts the right password, with or without the same authzid', async () => {
    expect(await plainServer(users).step(Buffer.from('\u0000alice\u0000alice-secret'))).toEqual({ kind: 'done', user: 'alice', bytes: Buffer.alloc(0) });
    expect(await plainServer(users).step(Buffer.from('alice\u0000alice\u0000alice-secret'))).toMatchObject({ kind: 'done' });
  });

  it('refuses a wrong password, an unknown user, another authzid and a malformed token', async () => {
    expect(await plainServer(users).step(Buffer.from('\u0000alice\u0000wrong'))).toEqual({ kind: 'failed', message: 'Authentication failed: Invalid username or password' });
    expect(await plainServer(users).step(Buffer.from('\u0000bob\u0000alice-secret'))).toMatchObject({ kind: 'failed' });
    expect(await plainServer(users).step(Buffer.from('bob\u0000alice\u0000alice-secret'))).toMatchObject({ kind: 'failed', message: expect.stringContaining('authorization id') });
    expect(await plainServer(users).step(Buffer.from('alice-secret'))).toMatchObject({ kind: 'failed', message: expect.stringContaining('3 tokens') });
  });
});

describe('a connection\'s SASL session', () => {
  const users = new UserStore(new Map([['alice', { 'SCRAM-SHA-512': scramCredential('SCRAM-SHA-512', 'alice-secret') }]]));

  it('is User:ANONYMOUS without users, and User:<name> once authenticated with them', async () => {
    expect(new SaslSession(undefined).principal).toBe(ANONYMOUS);
    const session = new SaslSession({ users });
    expect(session.principal).toBeUndefined();
    expect(session.handshake('PLAIN', 1)).toEqual({ kind: 'started' });
    expect((await session.authenticate(Buffer.from('\u0000alice\u0000alice-secret'))).kind).toBe('done');
    expect(session.principal).toBe('User:alice');
    expect(session.handshake('PLAIN', 1).kind).toBe('illegal');
  });
});
