/**
 * The console's HTTP plumbing: JSON replies, JSON request bodies (bounded),
 * and the HTTP status each of Kafka's error names maps to.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KafkalessError, toErrorPayload, type ErrorCode, type ErrorPayload } from '../errors.js';

/** Request bodies larger than this are refused (a produced message's value is the largest thing sent). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** An HTTP answer that is not a Kafka outcome: a refused origin, an unknown route, a body too large. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  UnknownTopicOrPartition: 404,
  GroupIdNotFound: 404,
  TransactionalIdNotFound: 404,
  TopicAlreadyExists: 409,
  NonEmptyGroup: 409,
  GroupSubscribedToTopic: 409,
  UnknownServerError: 500,
  KafkaStorageError: 503,
  RequestTimedOut: 504,
};

export function statusOf(code: ErrorCode): number {
  return STATUS_OF[code] ?? 400;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The error as the API answers it: `{ error: { code, message } }`, code being Kafka's error name. */
export function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof HttpError) {
    sendJson(res, err.status, { error: { code: err.code, message: err.message } });
    return;
  }
  const payload: ErrorPayload = toErrorPayload(err);
  const status = err instanceof KafkalessError ? statusOf(err.code) : payload.code === 'KafkaStorageError' ? 503 : 500;
  sendJson(res, status, { error: { code: payload.code, message: payload.message, ...(payload.context !== undefined ? { context: payload.context } : {}) } });
}

/** The request's JSON body; undefined when it has none. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'PayloadTooLarge', `Request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buf);
  }
  if (size === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new HttpError(415, 'UnsupportedMediaType', 'Request bodies are JSON (content-type: application/json)');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new KafkalessError('InvalidRequest', 'The request body is not valid JSON');
  }
}
