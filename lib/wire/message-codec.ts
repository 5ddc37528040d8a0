/**
 * Kafka requests and responses, header and body, by the vendored definitions.
 *
 * Encoders return a whole frame, size prefix included, ready for the socket.
 * Decoders take one frame's payload, without the size prefix (as FrameSplitter
 * yields it), and throw only WireDecodeError. Decoded bytes, records and strings'
 * buffers are views into the payload.
 */
import type { ApiKey, RequestBodies, ResponseBodies } from './generated-types.js';
import type { MessageSchema } from './schema-types.js';
import {
  isFlexible,
  REQUEST_HEADER_SCHEMA,
  requestHeaderVersion,
  requestSchema,
  RESPONSE_HEADER_SCHEMA,
  responseHeaderVersion,
  responseSchema,
} from './schema-registry.js';
import { decodeStruct } from './struct-decoder.js';
import { encodeStruct } from './struct-encoder.js';
import { structPlan } from './struct-plan.js';
import { WireDecodeError, WireEncodeError } from './wire-error.js';
import { WireReader } from './wire-reader.js';
import type { WireStruct } from './wire-values.js';
import { WireWriter } from './wire-writer.js';

export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

/** A decoded request; `switch (request.header.apiKey)` narrows its body's type. */
export type DecodedRequest = {
  readonly [K in ApiKey]: { readonly header: RequestHeader & { readonly apiKey: K }; readonly body: RequestBodies[K] };
}[ApiKey];

export interface DecodedResponse<K extends ApiKey = ApiKey> {
  readonly correlationId: number;
  readonly body: ResponseBodies[K];
}

/**
 * What the encoders take for a decoded type: any field may be left out (it takes its
 * default), int64 fields take safe-integer numbers as well as bigints.
 */
export type WireInput<T> = T extends Buffer
  ? Uint8Array
  : T extends bigint
    ? bigint | number
    : T extends readonly (infer E)[]
      ? readonly WireInput<E>[]
      : T extends object
        ? { readonly [K in keyof T]?: WireInput<T[K]> }
        : T;

/** An untyped body, for callers that build bodies from the schema itself. */
export type MessageBody = Readonly<Record<string, unknown>>;

function versionedSchema(schema: MessageSchema | undefined, apiKey: number, version: number, kind: string): MessageSchema {
  if (schema === undefined) throw new WireEncodeError(`API key ${apiKey} has no vendored ${kind} definition`, `${kind}`);
  if (!Number.isInteger(version) || version < schema.validVersions.min || version > schema.validVersions.max) {
    throw new WireEncodeError(`version ${version} is outside ${schema.validVersions.min}-${schema.validVersions.max}`, schema.name);
  }
  return schema;
}

function encodeBody(writer: WireWriter, schema: MessageSchema, version: number, body: MessageBody): void {
  encodeStruct(writer, structPlan(schema.fields, version, isFlexible(schema, version)), body, schema.name);
}

function framed(build: (writer: WireWriter) => void): Buffer {
  const writer = new WireWriter();
  writer.int32(0);
  build(writer);
  writer.patchInt32(0, writer.sizeBytes - 4);
  return writer.toBuffer();
}

export function encodeRequest<K extends ApiKey>(
  apiKey: K,
  apiVersion: number,
  header: { readonly correlationId: number; readonly clientId?: string | null },
  body: WireInput<RequestBodies[K]>,
): Buffer {
  const schema = versionedSchema(requestSchema(apiKey), apiKey, apiVersion, 'request');
  const headerVersion = requestHeaderVersion(apiKey, apiVersion);
  return framed((writer) => {
    const headerBody = {
      requestApiKey: apiKey,
      requestApiVersion: apiVersion,
      correlationId: header.correlationId,
      clientId: header.clientId ?? null,
    };
    encodeBody(writer, REQUEST_HEADER_SCHEMA, headerVersion, headerBody);
    encodeBody(writer, schema, apiVersion, body as MessageBody);
  });
}

export function encodeResponse<K extends ApiKey>(
  apiKey: K,
  apiVersion: number,
  correlationId: number,
  body: WireInput<ResponseBodies[K]>,
): Buffer {
  const schema = versionedSchema(responseSchema(apiKey), apiKey, apiVersion, 'response');
  const headerVersion = responseHeaderVersion(apiKey, apiVersion);
  return framed((writer) => {
    encodeBody(writer, RESPONSE_HEADER_SCHEMA, headerVersion, { correlationId });
    encodeBody(writer, schema, apiVersion, body as MessageBody);
  });
}

/**
 * A request's header and where its body starts. Works for API keys and versions
 * that are not vendored too (reading the v1 fields all headers share), so that a
 * server can answer them with UNSUPPORTED_VERSION.
 */
export function decodeRequestHeader(payload: Buffer): { header: RequestHeader; bodyOffset: number } {
  return guarded(() => {
    const reader = new WireReader(payload);
    const apiKey = reader.int16('RequestHeader.requestApiKey');
    const apiVersion = reader.int16('RequestHeader.requestApiVersion');
    const headerVersion = requestHeaderVersion(apiKey, apiVersion);
    const start = new WireReader(payload);
    const plan = structPlan(REQUEST_HEADER_SCHEMA.fields, headerVersion, isFlexible(REQUEST_HEADER_SCHEMA, headerVersion));
    const decoded = decodeStruct(start, plan, 'RequestHeader');
    const header: RequestHeader = {
      apiKey,
      apiVersion,
      correlationId: decoded.correlationId as number,
      clientId: decoded.clientId as string | null,
    };
    return { header, bodyOffset: start.position };
  });
}

export function decodeRequest(payload: Buffer): DecodedRequest {
  const { header, bodyOffset } = decodeRequestHeader(payload);
  const context = { apiKey: header.apiKey, apiVersion: header.apiVersion, correlationId: header.correlationId };
  const schema = requestSchema(header.apiKey);
  if (schema === undefined) {
    throw new WireDecodeError(`API key ${header.apiKey} is not supported`, 'unknown-api', context);
  }
  if (header.apiVersion < schema.validVersions.min || header.apiVersion > schema.validVersions.max) {
    throw new WireDecodeError(
      `${schema.name} version ${header.apiVersion} is outside ${schema.validVersions.min}-${schema.validVersions.max}`,
      'unsupported-version',
      context,
    );
  }
  const body = guarded(() => decodeWhole(new WireReader(payload, bodyOffset), schema, header.apiVersion), context);
  // The schema registry holds a definition for exactly the keys in API_KEYS, so the key is an ApiKey here.
  return { header, body } as unknown as DecodedRequest;
}

export function decodeResponse<K extends ApiKey>(apiKey: K, apiVersion: number, payload: Buffer): DecodedResponse<K> {
  const schema = responseSchema(apiKey);
  const context = { apiKey, apiVersion };
  if (schema === undefined) throw new WireDecodeError(`API key ${apiKey} is not supported`, 'unknown-api', context);
  if (apiVersion < schema.validVersions.min || apiVersion > schema.validVersions.max) {
    throw new WireDecodeError(`${schema.name} version ${apiVersion} is not supported`, 'unsupported-version', context);
  }
  return guarded(() => {
    const reader = new WireReader(payload);
    const headerVersion = responseHeaderVersion(apiKey, apiVersion);
    const headerPlan = structPlan(RESPONSE_HEADER_SCHEMA.fields, headerVersion, isFlexible(RESPONSE_HEADER_SCHEMA, headerVersion));
    const header = decodeStruct(reader, headerPlan, 'ResponseHeader');
    const body = decodeWhole(reader, schema, apiVersion) as unknown as ResponseBodies[K];
    return { correlationId: header.correlationId as number, body };
  }, context);
}

/** Decodes a message body that must fill the rest of the frame exactly. */
function decodeWhole(reader: WireReader, schema: MessageSchema, version: number): WireStruct {
  const body = decodeStruct(reader, structPlan(schema.fields, version, isFlexible(schema, version)), schema.name);
  if (reader.remaining !== 0) throw reader.error(`${schema.name}: ${reader.remaining} bytes after the message`, schema.name);
  return body;
}

/** Adds the request's identity to a decode error; anything else escaping a decoder is a bug, reported as malformed. */
function guarded<T>(decode: () => T, context: { apiKey: number; apiVersion: number; correlationId?: number } | undefined = undefined): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof WireDecodeError) {
      if (context === undefined) throw err;
      throw new WireDecodeError(err.message, err.reason, { ...err.context, ...context });
    }
    const message = err instanceof Error ? err.message : String(err);
    throw new WireDecodeError(`undecodable frame: ${message}`, 'malformed', context ?? {});
  }
}
