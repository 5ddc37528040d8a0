/**
 * The HTTP side of the Lambda Invoke API: reading a bounded request body,
 * parsing the function name, and writing replies and errors the way Lambda
 * does, so `@aws-sdk/client-lambda` raises its own exception classes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type BodyResult = { readonly tooLarge: false; readonly body: Buffer } | { readonly tooLarge: true; readonly sizeBytes: number };

/** Reads at most `limitBytes`; beyond that, drains the rest and reports its size. */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let sizeBytes = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    sizeBytes += buffer.length;
    if (sizeBytes <= limitBytes) chunks.push(buffer);
  }
  return sizeBytes > limitBytes ? { tooLarge: true, sizeBytes } : { tooLarge: false, body: Buffer.concat(chunks) };
}

export interface FunctionRef {
  readonly name: string;
  readonly qualifier?: string;
}

/** `name`, `name:qualifier`, `123456789012:function:name[:q]` or a full ARN. */
export function parseFunctionName(raw: string, queryQualifier: string | null): FunctionRef {
  const parts = raw.split(':');
  let rest: string[];
  if (parts[0] === 'arn') rest = parts.slice(6);
  else if (parts[1] === 'function') rest = parts.slice(2);
  else rest = parts;
  const name = rest[0] ?? '';
  const qualifier = queryQualifier ?? rest[1];
  return qualifier === undefined || qualifier === '' ? { name } : { name, qualifier };
}

export interface ErrorReply {
  readonly status: number;
  readonly errorType: string;
  readonly message: string;
}

/** An API error: the type in `x-amzn-ErrorType`, `Type` and message in the body. */
export function sendApiError(res: ServerResponse, requestId: string, error: ErrorReply): void {
  const body = JSON.stringify({ Type: 'User', message: error.message, Message: error.message });
  res.writeHead(error.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-ErrorType': error.errorType,
    'x-amzn-RequestId': requestId,
  });
  res.end(body);
}

export function sendInvocationResult(res: ServerResponse, requestId: string, payload: string, functionError?: string): void {
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': requestId,
    'X-Amz-Executed-Version': '$LATEST',
    ...(functionError === undefined ? {} : { 'X-Amz-Function-Error': functionError }),
  });
  res.end(payload);
}

export function sendEmpty(res: ServerResponse, requestId: string, status: number): void {
  res.writeHead(status, { 'x-amzn-RequestId': requestId, 'Content-Length': 0 });
  res.end();
}

/** The client context a caller sends (base64 JSON in `X-Amz-Client-Context`), if any. */
export function clientContextOf(req: IncomingMessage): unknown {
  const header = req.headers['x-amz-client-context'];
  if (typeof header !== 'string' || header === '') return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
