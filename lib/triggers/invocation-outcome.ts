/**
 * What a subscribed function's invocation means for its batch: success, a
 * failure of the whole batch, or (with ReportBatchItemFailures) success up
 * to the first failed record. Pure.
 *
 * A failed record is named by `itemIdentifier`: `<topic>-<partition>@<offset>`;
 * `<topic>-<partition>-<offset>` is taken too (topic names may hold `-`, so both
 * are read from the right). As AWS's event source mappings: an empty or absent
 * list is success; an identifier that is not a string, is empty, or names no
 * record of the batch fails the whole batch; of several, the lowest offset is
 * the checkpoint, and everything from it is retried.
 */

export interface InvocationResult {
  /** Lambda's X-Amz-Function-Error (`Unhandled`, …), when the function failed or timed out. */
  readonly functionError?: string;
  /** The function's JSON result (or the error document when it failed). */
  readonly payload: string;
}

export type InvocationOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'error'; readonly message: string }
  /** Records before `firstFailedOffset` succeeded, and so did every record not in `failedOffsets`. */
  | { readonly kind: 'partial'; readonly firstFailedOffset: number; readonly failedOffsets: readonly number[] }
  /** A connector's sink (docs/CONNECT.md): records before `fromOffset` are done, the rest neither done nor failed: deliver them again at the next append. */
  | { readonly kind: 'held'; readonly fromOffset: number };

export interface ItemIdentifier {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

const IDENTIFIER = /^(.+)-(\d+)[@-](\d+)$/;

export function parseItemIdentifier(identifier: unknown): ItemIdentifier | undefined {
  if (typeof identifier !== 'string') return undefined;
  const match = IDENTIFIER.exec(identifier);
  if (match === null) return undefined;
  return { topic: match[1]!, partition: Number(match[2]), offset: Number(match[3]) };
}

export function itemIdentifier(topic: string, partition: number, offset: number): string {
  return `${topic}-${partition}@${offset}`;
}

export interface BatchRange {
  readonly topic: string;
  readonly partition: number;
  readonly offsets: ReadonlySet<number>;
}

export function interpretInvocation(result: InvocationResult, batch: BatchRange, reportBatchItemFailures: boolean, acceptsHold = false): InvocationOutcome {
  if (result.functionError !== undefined) return { kind: 'error', message: errorMessageOf(result) };
  if (acceptsHold) {
    const hold = holdOf(result.payload);
    if (hold !== undefined) {
      const id = parseItemIdentifier(hold);
      if (id === undefined || id.topic !== batch.topic || id.partition !== batch.partition || !batch.offsets.has(id.offset)) {
        return { kind: 'error', message: `kafkaless.holdFrom names no record of the batch: ${JSON.stringify(hold)}` };
      }
      return { kind: 'held', fromOffset: id.offset };
    }
  }
  if (!reportBatchItemFailures) return { kind: 'success' };
  const failures = batchItemFailuresOf(result.payload);
  if (failures === undefined || failures.length === 0) return { kind: 'success' };
  const failed = new Set<number>();
  for (const failure of failures) {
    const id = parseItemIdentifier(typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined);
    if (id === undefined || id.topic !== batch.topic || id.partition !== batch.partition || !batch.offsets.has(id.offset)) {
      return { kind: 'error', message: `batchItemFailures names no record of the batch: ${JSON.stringify(failure)}` };
    }
    failed.add(id.offset);
  }
  const failedOffsets = [...failed].sort((a, b) => a - b);
  return { kind: 'partial', firstFailedOffset: failedOffsets[0]!, failedOffsets };
}

/** `kafkaless.holdFrom` of a connector's answer, when there is one. */
function holdOf(payload: string): unknown {
  const parsed = parseObject(payload);
  const extension = parsed?.kafkaless;
  return typeof extension === 'object' && extension !== null ? (extension as { holdFrom?: unknown }).holdFrom : undefined;
}

function parseObject(payload: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = payload === '' ? null : JSON.parse(payload);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function batchItemFailuresOf(payload: string): readonly unknown[] | undefined {
  let parsed: unknown;
  try {
    parsed = payload === '' ? null : JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const failures = (parsed as { batchItemFailures?: unknown }).batchItemFailures;
  return Array.isArray(failures) ? failures : undefined;
}

function errorMessageOf(result: InvocationResult): string {
  try {
    const parsed = JSON.parse(result.payload) as { errorType?: unknown; errorMessage?: unknown };
    const type = typeof parsed.errorType === 'string' ? parsed.errorType : result.functionError;
    const message = typeof parsed.errorMessage === 'string' ? parsed.errorMessage : '';
    return `${String(type)}: ${message}`.slice(0, 1000);
  } catch {
    return `${String(result.functionError)}: ${result.payload.slice(0, 1000)}`;
  }
}
