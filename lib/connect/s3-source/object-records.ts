/**
 * What an S3 source makes of an object's bytes: a record value per line of
 * text (`lines`; `\n` or `\r\n` ends a line, a last line without one counts,
 * an empty last line does not), per line checked to be JSON (`json`; blank
 * lines skipped), or the whole object (`object`). Pure.
 */
import type { S3SourceFormat } from '../config/connector-config.js';
import { RecordConversionError } from '../converters.js';

export interface ObjectRecord {
  /** The record's position in the object (the source offset counts these). */
  readonly index: number;
  readonly value: Buffer;
}

export function objectRecords(format: S3SourceFormat, body: Buffer): ObjectRecord[] {
  if (format === 'object') return [{ index: 0, value: body }];
  const text = body.toString('utf8');
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const out: ObjectRecord[] = [];
  lines.forEach((line, index) => {
    if (format === 'json') {
      if (line.trim() === '') return;
      try {
        JSON.parse(line);
      } catch (err) {
        throw Object.assign(new RecordConversionError(`line ${index + 1} is not JSON: ${(err as Error).message}`, 'VALUE_CONVERTER'), { index });
      }
    }
    out.push({ index, value: Buffer.from(line, 'utf8') });
  });
  return out;
}
