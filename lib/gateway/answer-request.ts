/**
 * One request frame in, its response frame out (or none). A version this
 * gateway does not serve is answered as Kafka answers it: ApiVersions with a
 * v0 UNSUPPORTED_VERSION reply listing what is served; any other API or
 * version is a WireDecodeError, and the connection is closed.
 */
import { API_KEYS, decodeRequest, decodeRequestHeader, encodeResponse, WireDecodeError, type ApiKey, type MessageBody, type WireInput } from '../wire/index.js';
import type { ApiContext, ApiHandler, ServedApi } from './api-handler.js';
import { SERVED_APIS } from './apis/index.js';
import { advertisedVersions } from './apis/api-versions.js';
import { codeOf } from './wire-answers.js';

const BY_KEY = new Map<number, ServedApi>(SERVED_APIS.map((api) => [api.apiKey, api]));

export async function answerRequest(payload: Buffer, base: Omit<ApiContext, 'version' | 'served'>): Promise<Buffer | undefined> {
  const { header } = decodeRequestHeader(payload);
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
  const body = await handler.handle(request.body as never, { ...base, version: header.apiVersion, clientId: header.clientId ?? '', served: SERVED_APIS });
  if (body === undefined) return undefined;
  return encodeResponse(header.apiKey as ApiKey, header.apiVersion, header.correlationId, body as WireInput<MessageBody> as never);
}
