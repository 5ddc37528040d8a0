/**
 * Runs one request and shapes the reply: a result, or a typed error payload.
 * Protocol outcomes are answers, not failures; only an unexpected failure is
 * logged as an error.
 */
import { InfrastructureError, KafkalessError, toErrorPayload } from '../errors.js';
import type { Reply } from '../protocol/reply.js';

export type Logger = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export const jsonLogger: Logger = (level, message, fields) => {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
};

export async function toReply<T>(operation: () => Promise<T>, log: Logger = jsonLogger): Promise<Reply<T>> {
  try {
    return { ok: true, result: await operation() };
  } catch (err) {
    if (!(err instanceof KafkalessError)) {
      const kind = err instanceof InfrastructureError ? 'infrastructure failure' : 'unexpected failure';
      log('error', kind, { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
    return { ok: false, error: toErrorPayload(err) };
  }
}
