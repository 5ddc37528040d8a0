/**
 * Kafka Connect's converters for a record's key or value bytes: `json`
 * (JsonConverter: the bytes parsed as JSON; with `schemas.enable`, the
 * `payload` of a `{ schema, payload }` envelope), `string`
 * (StringConverter: UTF-8 text) and `bytes` (ByteArrayConverter: the bytes
 * as they are). A value that does not convert is a `RecordConversionError`,
 * handled by `errors.tolerance`. Pure.
 */
import type { ConverterConfig } from './config/connector-config.js';

/** What a converter makes of bytes: JSON data, text, or bytes. */
export type ConnectValue = null | boolean | number | string | Buffer | readonly ConnectValue[] | { readonly [field: string]: ConnectValue };

/** A record that could not be converted (or otherwise not written): the record's own fault, not the sink's. */
export class RecordConversionError extends Error {
  constructor(message: string, readonly stage: 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'TASK_PUT') {
    super(message);
    this.name = 'RecordConversionError';
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function convert(config: ConverterConfig, bytes: Buffer | null, stage: 'KEY_CONVERTER' | 'VALUE_CONVERTER'): ConnectValue {
  if (bytes === null) return null;
  switch (config.kind) {
    case 'bytes':
      return bytes;
    case 'string':
      return text(bytes, stage);
    case 'json': {
      let parsed: ConnectValue;
      try {
        parsed = JSON.parse(text(bytes, stage)) as ConnectValue;
      } catch (err) {
        throw new RecordConversionError(`Converting byte[] to Kafka Connect data failed due to serialization error: ${(err as Error).message}`, stage);
      }
      if (!config.schemasEnable) return parsed;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('schema' in parsed) || !('payload' in parsed)) {
        throw new RecordConversionError('JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields', stage);
      }
      return (parsed as { payload: ConnectValue }).payload;
    }
  }
}

function text(bytes: Buffer, stage: 'KEY_CONVERTER' | 'VALUE_CONVERTER'): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new RecordConversionError('the bytes are not UTF-8 text', stage);
  }
}

/** A field of a JSON object value, dots walking into nested objects; undefined when absent. */
export function fieldOf(value: ConnectValue, path: string): ConnectValue | undefined {
  let at: ConnectValue | undefined = value;
  for (const name of path.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || Buffer.isBuffer(at)) return undefined;
    at = (at as { readonly [field: string]: ConnectValue })[name];
  }
  return at;
}
