/** Query-string parameters of the API, read strictly: a bad one is InvalidRequest naming it. */
import { KafkalessError } from '../../errors.js';

export function wholeParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) throw new KafkalessError('InvalidRequest', `${name} must be a whole number >= 0, got '${raw}'`, { context: { field: name } });
  return n;
}

export function textParam(query: URLSearchParams, name: string): string | undefined {
  const raw = query.get(name);
  return raw === null || raw === '' ? undefined : raw;
}
