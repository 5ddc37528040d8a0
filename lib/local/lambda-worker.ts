/**
 * One execution environment of a local Lambda function: a worker thread
 * that imports the function's bundle once (warm) and runs one invocation at
 * a time, as Lambda's Node.js runtime does. Imports only Node's built-ins,
 * since it runs as a standalone script.
 */
import { pathToFileURL } from 'node:url';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ContextData, FromWorker, InvocationError, ToWorker, WorkerData } from './lambda-protocol.js';

type Callback = (error?: unknown, result?: unknown) => void;
type Handler = (event: unknown, context: unknown, callback: Callback) => unknown;

const port: MessagePort = parentPort ?? fail('lambda-worker must run in a worker thread');
const data = workerData as WorkerData;
const send = (message: FromWorker): void => port.postMessage(message);

function fail(message: string): never {
  throw new Error(message);
}

function toInvocationError(error: unknown): InvocationError {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

async function loadHandler(): Promise<Handler> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(data.file).href)) as Record<string, unknown>;
  } catch (error) {
    const base = toInvocationError(error);
    throw { ...base, errorType: 'Runtime.ImportModuleError', errorMessage: `${base.errorType}: ${base.errorMessage}` };
  }
  const found = lookup(module, data.exportPath) ?? lookup(module.default, data.exportPath);
  if (typeof found !== 'function') {
    throw { errorType: 'Runtime.HandlerNotFound', errorMessage: `${data.handler} is undefined or not exported`, trace: [] };
  }
  return found as Handler;
}

function lookup(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function createContext(context: ContextData): Record<string, unknown> {
  return {
    ...context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: (): number => Math.max(0, context.deadlineMs - Date.now()),
  };
}

/** Calls the handler: an async handler's promise, or a callback-style handler's callback. */
function call(handler: Handler, event: unknown, context: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callback: Callback = (error, result) => (error === undefined || error === null ? resolve(result) : reject(error));
    const returned = handler(event, context, callback);
    if (returned !== null && typeof returned === 'object' && typeof (returned as Promise<unknown>).then === 'function') {
      (returned as Promise<unknown>).then(resolve, reject);
    } else if (handler.length < 3) {
      resolve(returned);
    }
  });
}

async function invoke(handler: Handler, message: ToWorker): Promise<void> {
  try {
    const result = await call(handler, JSON.parse(message.event) as unknown, createContext(message.context));
    send({ type: 'result', id: message.id, payload: JSON.stringify(result ?? null) });
  } catch (error) {
    send({ type: 'error', id: message.id, error: toInvocationError(error) });
  }
}

async function main(): Promise<void> {
  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    const initError = isInvocationError(error) ? error : toInvocationError(error);
    send({ type: 'init-error', error: initError });
    return;
  }
  port.on('message', (message: ToWorker) => void invoke(handler, message));
  send({ type: 'ready' });
}

function isInvocationError(value: unknown): value is InvocationError {
  return value !== null && typeof value === 'object' && 'errorType' in value && 'errorMessage' in value;
}

void main();
