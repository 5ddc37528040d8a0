/**
 * Looks up the vendored message schemas (lib/wire/generated-schemas.ts) by API key,
 * and names the API keys as Kafka does (ProduceRequest → 'Produce').
 */
import { MESSAGE_SCHEMAS } from './generated-schemas.js';
import { API_KEYS } from './generated-types.js';
import { inRange, type MessageSchema } from './schema-types.js';

const requests = new Map<number, MessageSchema>();
const responses = new Map<number, MessageSchema>();
const headers = new Map<string, MessageSchema>();
for (const schema of MESSAGE_SCHEMAS) {
  if (schema.kind === 'header') headers.set(schema.name, schema);
  else if (schema.apiKey !== null) (schema.kind === 'request' ? requests : responses).set(schema.apiKey, schema);
}

function header(name: string): MessageSchema {
  const schema = headers.get(name);
  if (schema === undefined) throw new Error(`${name} is not vendored in lib/wire/messages`);
  return schema;
}

export const REQUEST_HEADER_SCHEMA = header('RequestHeader');
export const RESPONSE_HEADER_SCHEMA = header('ResponseHeader');

export function requestSchema(apiKey: number): MessageSchema | undefined {
  return requests.get(apiKey);
}

export function responseSchema(apiKey: number): MessageSchema | undefined {
  return responses.get(apiKey);
}

/** Every vendored API: its key, Kafka's name for it, and the versions its definitions cover. */
export interface VendoredApi {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
}

export const VENDORED_APIS: readonly VendoredApi[] = [...requests.values()]
  .map((schema) => ({
    apiKey: schema.apiKey ?? -1,
    name: schema.name.replace(/Request$/, ''),
    minVersion: schema.validVersions.min,
    maxVersion: schema.validVersions.max,
  }))
  .sort((a, b) => a.apiKey - b.apiKey);

export function isFlexible(schema: MessageSchema, version: number): boolean {
  return inRange(schema.flexibleVersions, version);
}

const API_VERSIONS_KEY = API_KEYS.ApiVersions;

/** Request header v2 for flexible request versions, v1 otherwise (v0 is only ControlledShutdown v0). */
export function requestHeaderVersion(apiKey: number, apiVersion: number): number {
  const schema = requestSchema(apiKey);
  return schema !== undefined && isFlexible(schema, apiVersion) ? 2 : 1;
}

/**
 * Response header v1 for flexible response versions, v0 otherwise; ApiVersions
 * responses always use v0, so a client that does not yet know the broker's versions
 * can read the reply.
 */
export function responseHeaderVersion(apiKey: number, apiVersion: number): number {
  if (apiKey === API_VERSIONS_KEY) return 0;
  const schema = responseSchema(apiKey);
  return schema !== undefined && isFlexible(schema, apiVersion) ? 1 : 0;
}
