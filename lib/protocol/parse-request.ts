/**
 * Turns an untrusted event into a typed request, or an `InvalidRequest`
 * error that names the offending field (`topics[2].numPartitions`).
 */
import type { z } from 'zod';
import { KafkalessError } from '../errors.js';

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(request)' : out;
}

export function parseRequest<S extends z.ZodType>(schema: S, event: unknown, what: string): z.output<S> {
  let value = event;
  if (typeof event === 'string') {
    try {
      value = JSON.parse(event);
    } catch {
      throw new KafkalessError('InvalidRequest', `The ${what} request is not valid JSON`);
    }
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue ? fieldPath(issue.path) : '(request)';
  const reason = issue ? issue.message : 'invalid';
  throw new KafkalessError('InvalidRequest', `Invalid ${what} request: ${field}: ${reason}`, { context: { field } });
}
