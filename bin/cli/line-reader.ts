/**
 * Kafka's console producer's LineMessageReader: each line of input is one
 * record, optionally `headers<headers.delimiter>key<key.separator>value`,
 * under the same `--property` names and defaults (parse.key=false,
 * key.separator=\t, parse.headers=false, headers.delimiter=\t,
 * headers.separator=",", headers.key.separator=":", null.marker unset,
 * ignore.error=false).
 */
import { KafkalessError } from '../../lib/errors.js';
import type { Message } from '../../lib/client/producer/message.js';
import { CliUsageError } from './connect.js';
import { booleanProperty, type Properties } from './properties.js';

export interface LineReaderConfig {
  readonly parseKey: boolean;
  readonly keySeparator: string;
  readonly parseHeaders: boolean;
  readonly headersDelimiter: string;
  readonly headersSeparator: string;
  readonly headersKeySeparator: string;
  /** A key, value or header value equal to this is null (a tombstone, for a value). */
  readonly nullMarker: string | undefined;
  /** A line without a separator is taken whole as the value instead of failing. */
  readonly ignoreError: boolean;
}

const READER_PROPERTIES = new Set(['parse.key', 'key.separator', 'parse.headers', 'headers.delimiter', 'headers.separator', 'headers.key.separator', 'null.marker', 'ignore.error']);

export function lineReaderConfig(props: Properties): LineReaderConfig {
  for (const name of props.keys()) {
    if (!READER_PROPERTIES.has(name)) throw new CliUsageError(`Unknown --property ${name}; the line reader takes ${[...READER_PROPERTIES].join(', ')}`);
  }
  const nonEmpty = (name: string, fallback: string): string => {
    const v = props.get(name) ?? fallback;
    if (v === '') throw new CliUsageError(`--property ${name} must not be empty`);
    return v;
  };
  const config = {
    parseKey: booleanProperty(props, 'parse.key', false),
    keySeparator: nonEmpty('key.separator', '\t'),
    parseHeaders: booleanProperty(props, 'parse.headers', false),
    headersDelimiter: nonEmpty('headers.delimiter', '\t'),
    headersSeparator: nonEmpty('headers.separator', ','),
    headersKeySeparator: nonEmpty('headers.key.separator', ':'),
    nullMarker: props.get('null.marker'),
    ignoreError: booleanProperty(props, 'ignore.error', false),
  };
  if (config.nullMarker !== undefined && [config.keySeparator, config.headersDelimiter, config.headersSeparator].includes(config.nullMarker)) {
    throw new CliUsageError('--property null.marker must differ from key.separator, headers.delimiter and headers.separator');
  }
  return Object.freeze(config);
}

/** Splits at the first `separator`: [before, after], or undefined when absent. */
function splitOnce(text: string, separator: string): [string, string] | undefined {
  const at = text.indexOf(separator);
  return at < 0 ? undefined : [text.slice(0, at), text.slice(at + separator.length)];
}

/** A line the reader cannot split as configured. */
function badLine(message: string): KafkalessError {
  return new KafkalessError('InvalidRecord', `${message}; fix the line, or set --property ignore.error=true to take it whole as the value`);
}

/** One line as a record; `lineNumber` (from 1) names the line in errors. */
export function parseLine(line: string, config: LineReaderConfig, lineNumber: number): Message {
  const orNull = (s: string): string | null => (s === config.nullMarker ? null : s);
  let rest = line;
  let headers: Record<string, (string | null)[]> | undefined;
  if (config.parseHeaders) {
    const split = splitOnce(rest, config.headersDelimiter);
    if (split === undefined) {
      if (!config.ignoreError) throw badLine(`No headers delimiter found on line ${lineNumber} (headers.delimiter=${JSON.stringify(config.headersDelimiter)})`);
    } else {
      headers = parseHeaders(split[0], config, lineNumber);
      rest = split[1];
    }
  }
  let key: string | null = null;
  let value = rest;
  if (config.parseKey) {
    const split = splitOnce(rest, config.keySeparator);
    if (split === undefined) {
      if (!config.ignoreError) throw badLine(`No key separator found on line ${lineNumber} (key.separator=${JSON.stringify(config.keySeparator)})`);
    } else {
      key = orNull(split[0]);
      value = split[1];
    }
  }
  return { key, value: orNull(value), ...(headers !== undefined ? { headers } : {}) };
}

function parseHeaders(text: string, config: LineReaderConfig, lineNumber: number): Record<string, (string | null)[]> {
  const headers: Record<string, (string | null)[]> = {};
  if (text === config.nullMarker || text === '') return headers;
  for (const pair of text.split(config.headersSeparator)) {
    const split = splitOnce(pair, config.headersKeySeparator);
    if (split === undefined && !config.ignoreError) {
      throw badLine(`No header key separator found in '${pair}' on line ${lineNumber} (headers.key.separator=${JSON.stringify(config.headersKeySeparator)})`);
    }
    const [key, value] = split ?? [pair, null];
    if (key === config.nullMarker) throw new KafkalessError('InvalidRecord', `A header key equals the null marker (null.marker) on line ${lineNumber}`);
    (headers[key] ??= []).push(value === null || value === config.nullMarker ? null : value);
  }
  return headers;
}
