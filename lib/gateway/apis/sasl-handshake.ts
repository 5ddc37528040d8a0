/**
 * SaslHandshake: the client names its mechanism. An enabled one starts the
 * exchange (v1: SaslAuthenticate requests follow; v0: raw SASL tokens); an
 * unknown or disabled one is answered UNSUPPORTED_SASL_MECHANISM with the
 * enabled ones, and the connection is closed, as Kafka does.
 */
import { API_KEYS, kafkaError } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { SaslSession } from '../sasl/sasl-session.js';

export const saslHandshake: ApiHandler<typeof API_KEYS.SaslHandshake> = {
  apiKey: API_KEYS.SaslHandshake,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, ctx) {
    const sasl = ctx.sasl ?? new SaslSession(undefined);
    const outcome = sasl.handshake(request.mechanism, ctx.version);
    if (outcome.kind === 'started') return { errorCode: 0, mechanisms: [...sasl.mechanisms] };
    sasl.closing = outcome.message;
    const code = kafkaError(outcome.kind === 'unsupported' ? 'UNSUPPORTED_SASL_MECHANISM' : 'ILLEGAL_SASL_STATE')!.code;
    return { errorCode: code, mechanisms: sasl.enabled ? [...sasl.mechanisms] : [] };
  },
};
