/** The envelope every function answers with: a result, or a typed error. */
import type { ErrorPayload } from '../errors.js';

export type Reply<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: ErrorPayload };

export function isReply(value: unknown): value is Reply<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; result?: unknown; error?: unknown };
  return (v.ok === true && 'result' in v) || (v.ok === false && typeof v.error === 'object' && v.error !== null);
}
