/**
 * SASL edge cases in raw frames: what an authenticating gateway answers
 * before authentication, to an unknown mechanism, to a SCRAM exchange with
 * a bad nonce or proof, to a v0 handshake's raw tokens; and what a gateway
 * without users answers to SASL requests.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientKeyOf, hash, hmac, saltedPassword, xor } from '../../lib/gateway/sasl/scram-credential.js';
import { API_KEYS, decodeResponse, encodeRequest, kafkaError } from '../../lib/wire/index.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { testUsers } from '../support/sasl-users.js';
import { WireClient } from '../support/wire-client.js';

let t: TestGateway;
let open: TestGateway;
const FAILED = kafkaError('SASL_AUTHENTICATION_FAILED')!.code;

beforeAll(async () => {
  [t, open] = await Promise.all([createTestGateway({ sasl: { users: testUsers({ alice: 'alice-secret' }), mechanisms: ['SCRAM-SHA-512', 'PLAIN'] } }), createTestGateway()]);
});
afterAll(async () => Promise.all([t.close(), open.close()]));

const connect = (g: TestGateway = t) => WireClient.open(g.gateway.host, g.gateway.port);
const handshake = (mechanism: string, correlationId = 1, version = 1) => encodeRequest(API_KEYS.SaslHandshake, version, { correlationId, clientId: 't' }, { mechanism });
const authenticate = (bytes: string | Buffer, correlationId: number) => encodeRequest(API_KEYS.SaslAuthenticate, 2, { correlationId, clientId: 't' }, { authBytes: Buffer.from(bytes) });
/** A raw SASL token as a v0 handshake's client sends it: size-prefixed, no request header. */
const rawToken = (token: string) => Buffer.concat([Buffer.from([0, 0, 0, Buffer.byteLength(token)]), Buffer.from(token)]);
const authAnswer = (payload: Buffer) => decodeResponse(API_KEYS.SaslAuthenticate, 2, payload).body;

/** The client side of SCRAM-SHA-512 up to the final message, with a way to spoil it. */
async function scramUpToFinal(c: WireClient, spoil: { nonce?: boolean; proof?: boolean } = {}) {
  const cnonce = randomBytes(18).toString('base64url');
  c.send(handshake('SCRAM-SHA-512'), authenticate(`n,,n=alice,r=${cnonce}`, 2));
  const [, first] = await c.waitFor(2);
  const serverFirst = authAnswer(first!).authBytes.toString();
  const [, nonce, salt, iterations] = /^r=([^,]+),s=([^,]+),i=(\d+)$/.exec(serverFirst)!;
  const finalNonce = spoil.nonce ? `${nonce}x` : nonce!;
  const withoutProof = `c=biws,r=${finalNonce}`;
  const salted = saltedPassword('SCRAM-SHA-512', spoil.proof ? 'wrong' : 'alice-secret', Buffer.from(salt!, 'base64'), Number(iterations));
  const clientKey = clientKeyOf('SCRAM-SHA-512', salted);
  const proof = xor(clientKey, hmac('SCRAM-SHA-512', hash('SCRAM-SHA-512', clientKey), `n=alice,r=${cnonce},${serverFirst},${withoutProof}`));
  return `${withoutProof},p=${proof.toString('base64')}`;
}

describe('an authenticating gateway in raw frames', () => {
  it('closes a connection whose first request is Metadata, without an answer', async () => {
    const c = await connect();
    c.send(encodeRequest(API_KEYS.Metadata, 12, { correlationId: 1, clientId: 't' }, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false }));
    await c.waitClosed();
    expect(c.responses).toEqual([]);
  });

  it("closes a connection yet to authenticate that announces a frame over Kafka's sasl.server.max.receive.size (512 KiB)", async () => {
    const c = await connect();
    const size = Buffer.alloc(4);
    size.writeInt32BE(524_289);
    c.send(size);
    await c.waitClosed();
    expect(c.responses).toEqual([]);
  });

  it('answers ApiVersions before authentication', async () => {
    const c = await connect();
    c.send(encodeRequest(API_KEYS.ApiVersions, 3, { correlationId: 1, clientId: 't' }, { clientSoftwareName: 't', clientSoftwareVersion: '1' }));
    const [payload] = await c.waitFor(1);
    expect(decodeResponse(API_KEYS.ApiVersions, 3, payload!).body.apiKeys.map((a) => a.apiKey)).toEqual(expect.arrayContaining([17, 36]));
    c.end();
  });

  it('answers an unknown mechanism UNSUPPORTED_SASL_MECHANISM with the enabled ones, then closes', async () => {
    const c = await connect();
    c.send(handshake('GSSAPI'));
    const [payload] = await c.waitFor(1);
    expect(decodeResponse(API_KEYS.SaslHandshake, 1, payload!).body).toMatchObject({ errorCode: kafkaError('UNSUPPORTED_SASL_MECHANISM')!.code, mechanisms: ['SCRAM-SHA-512', 'PLAIN'] });
    await c.waitClosed();
  });

  it('refuses a mechanism that exists but is not enabled', async () => {
    const c = await connect();
    c.send(handshake('SCRAM-SHA-256'));
    const [payload] = await c.waitFor(1);
    expect(decodeResponse(API_KEYS.SaslHandshake, 1, payload!).body.errorCode).toBe(kafkaError('UNSUPPORTED_SASL_MECHANISM')!.code);
    await c.waitClosed();
  });

  it('completes a SCRAM-SHA-512 exchange and then answers Metadata', async () => {
    const c = await connect();
    c.send(authenticate(await scramUpToFinal(c), 3));
    const [, , final] = await c.waitFor(3);
    expect(authAnswer(final!)).toMatchObject({ errorCode: 0, authBytes: expect.any(Buffer) });
    expect(authAnswer(final!).authBytes.toString()).toMatch(/^v=/);
    c.send(encodeRequest(API_KEYS.Metadata, 12, { correlationId: 4, clientId: 't' }, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false }));
    const answers = await c.waitFor(4);
    expect(answers).toHaveLength(4);
    c.end();
  });

  it.each([
    ['a bad nonce', { nonce: true }, 'Invalid client nonce in the final client message.'],
    ['a bad proof', { proof: true }, 'Authentication failed: Invalid user credentials'],
  ])('answers a SCRAM final message with %s SASL_AUTHENTICATION_FAILED, then closes', async (_name, spoil, message) => {
    const c = await connect();
    c.send(authenticate(await scramUpToFinal(c, spoil), 3));
    const [, , final] = await c.waitFor(3);
    expect(authAnswer(final!)).toMatchObject({ errorCode: FAILED, errorMessage: message });
    await c.waitClosed();
  });

  it('answers SaslAuthenticate before any handshake ILLEGAL_SASL_STATE, then closes', async () => {
    const c = await connect();
    c.send(authenticate('\u0000alice\u0000alice-secret', 1));
    const [payload] = await c.waitFor(1);
    expect(authAnswer(payload!).errorCode).toBe(kafkaError('ILLEGAL_SASL_STATE')!.code);
    await c.waitClosed();
  });

  it('serves a v0 handshake with raw PLAIN tokens: an empty token back, then requests', async () => {
    const c = await connect();
    c.send(handshake('PLAIN', 1, 0));
    await c.waitFor(1);
    c.send(rawToken('\u0000alice\u0000alice-secret'));
    const [, raw] = await c.waitFor(2);
    expect(raw).toEqual(Buffer.alloc(0));
    c.send(encodeRequest(API_KEYS.ApiVersions, 3, { correlationId: 3, clientId: 't' }, { clientSoftwareName: 't', clientSoftwareVersion: '1' }));
    expect(await c.waitFor(3)).toHaveLength(3);
    c.end();
  });

  it('closes a v0 handshake connection on a wrong raw PLAIN token, without an answer', async () => {
    const c = await connect();
    c.send(handshake('PLAIN', 1, 0));
    await c.waitFor(1);
    c.send(rawToken('\u0000alice\u0000nope'));
    await c.waitClosed();
    expect(c.responses).toHaveLength(1);
  });
});

describe('a gateway without users', () => {
  it('answers SaslHandshake ILLEGAL_SASL_STATE, as a PLAINTEXT Kafka listener does, then closes', async () => {
    const c = await connect(open);
    c.send(handshake('PLAIN'));
    const [payload] = await c.waitFor(1);
    expect(decodeResponse(API_KEYS.SaslHandshake, 1, payload!).body).toMatchObject({ errorCode: kafkaError('ILLEGAL_SASL_STATE')!.code, mechanisms: [] });
    await c.waitClosed();
  });
});
