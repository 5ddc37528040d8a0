/**
 * SaslAuthenticate: one SASL token of the exchange the handshake started.
 * A failure is answered SASL_AUTHENTICATION_FAILED with its reason and the
 * connection is closed (ILLEGAL_SASL_STATE when no exchange was started).
 * Sessions do not expire (session lifetime 0: no re-authentication, KIP-368).
 */
import { API_KEYS, kafkaError } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { SaslSession } from '../sasl/sasl-session.js';

export const saslAuthenticate: ApiHandler<typeof API_KEYS.SaslAuthenticate> = {
  apiKey: API_KEYS.SaslAuthenticate,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    const sasl = ctx.sasl ?? new SaslSession(undefined);
    const started = sasl.enabled && sasl.inExchange;
    const step = await sasl.authenticate(request.authBytes);
    if (step.kind !== 'failed') return { errorCode: 0, errorMessage: null, authBytes: step.bytes, sessionLifetimeMs: 0n };
    sasl.closing = step.message;
    const code = kafkaError(started ? 'SASL_AUTHENTICATION_FAILED' : 'ILLEGAL_SASL_STATE')!.code;
    return { errorCode: code, errorMessage: step.message, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n };
  },
};
