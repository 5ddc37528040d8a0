/**
 * One request frame in, its response frame out (or none). A version this
 * gateway does not serve is answered as Kafka answers it: ApiVersions with a
 * v0 UNSUPPORTED_VERSION reply listing what is served; any other API or
 * version is a WireDecodeError, and the connection is closed. While the
 * connection has yet to authenticate (the gateway has users) only
 * ApiVersions, SaslHandshake and SaslAuthenticate are answered; anything
 * else closes it, as Kafka's authenticator does. After a v0 SaslHandshake
 * the frames are raw SASL tokens, answered as raw tokens.
 */
import { API_KEYS, decodeRequest, decodeRequestHeader, encodeResponse, WireDecodeError, type ApiKey, type MessageBody, type WireInput } from '../wire/index.js';
import type { ApiContext, ApiHandler, ServedApi } from './api-handler.js';
import { SERVED_APIS } from './apis/index.js';
import { advertisedVersions } from './apis/api-versions.js';
import { codeOf } from './wire-answers.js';
import { ConnectionRefused } from './closing-answer.js';
import type { SaslSession } from './sasl/sasl-session.js';

const BY_KEY = new Map<number, ServedApi>(SERVED_APIS.map((api) => [api.apiKey, api]));
const BEFORE_AUTHENTICATION = new Set<number>([API_KEYS.ApiVersions, API_KEYS.SaslHandshake, API_KEYS.SaslAuthenticate]);

export async function answerRequest(payload: Buffer, base: Omit<ApiContext, 'version' | 'served' | 'clientId' | 'principal' | 'sasl'> & { readonly sasl: SaslSession }): Promise<Buffer | undefined> {
  const { sasl } = base;
  if (sasl.rawTokens) return answerRawToken(payload, base);
  const { header } = decodeRequestHeader(payload);
  if (!sasl.authenticated && !BEFORE_AUTHENTICATION.has(header.apiKey)) {
    throw new ConnectionRefused(`API key ${header.apiKey} sent before SASL authentication (only ApiVersions, SaslHandshake and SaslAuthenticate are answered until then)`);
  }
  const api = BY_KEY.get(header.apiKey);
  const context = { apiKey: header.apiKey, apiVersion: header.apiVersion, correlationId: header.correlationId };
  if (api === undefined) throw new WireDecodeError(`API key ${header.apiKey} is not served by this gateway`, 'unknown-api', context);
  if (header.apiVersion < api.minVersion || header.apiVersion > api.maxVersion) {
    if (header.apiKey === API_KEYS.ApiVersions) {
      return encodeResponse(API_KEYS.ApiVersions, 0, header.correlationId, { errorCode: codeOf('UnsupportedVersion'), apiKeys: advertisedVersions(SERVED_APIS) });
    }
    throw new WireDecodeError(`version ${header.apiVersion} of API key ${header.apiKey} is not served (${api.minVersion}-${api.maxVersion})`, 'unsupported-version', context);
  }
  const request = decodeRequest(payload);
  const handler = api as unknown as ApiHandler<ApiKey>;
  const body = await handler.handle(request.body as never, { ...base, version: header.apiVersion, clientId: header.clientId, ...(sasl.principal !== undefined ? { principal: sasl.principal } : {}), served: SERVED_APIS });
  if (body === undefined) return undefined;
  const frame = encodeResponse(header.apiKey as ApiKey, header.apiVersion, header.correlationId, body as WireInput<MessageBody> as never);
  if (sasl.closing !== undefined) throw new ConnectionRefused(sasl.closing, frame);
  return frame;
}

/** A raw SASL token after a v0 handshake: the next token back, size-prefixed; a failure closes without an answer, as Kafka does. */
async function answerRawToken(payload: Buffer, base: { readonly sasl: SaslSession }): Promise<Buffer> {
  const step = await base.sasl.authenticate(payload);
  if (step.kind === 'failed') throw new ConnectionRefused(step.message);
  const frame = Buffer.alloc(4 + step.bytes.length);
  frame.writeInt32BE(step.bytes.length, 0);
  step.bytes.copy(frame, 4);
  return frame;
}
