/**
 * AWS faults injected at the SDK's own middleware, so every layer above it
 * (the SDK's retries, our error translation, our retries, the client's) sees
 * them as it would see real ones. A fault happens either before the request
 * is sent (nothing happened) or after it completed (the write took effect
 * but the caller sees an error: a lost reply).
 *
 * The middleware sits in the `finalizeRequest` step at low priority: inside
 * the SDK's retry middleware, so a client built with `maxAttempts > 1`
 * retries the retriable ones as it would retry real ones, and a client with
 * `maxAttempts: 1` hands every fault to our code.
 */
import {
  DynamoDBServiceException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import type { FinalizeHandler, FinalizeHandlerArguments, FinalizeHandlerOutput, HandlerExecutionContext } from '@aws-sdk/types';
import { FaultCounts } from '../faults.js';

export const DYNAMODB_FAULT_KINDS = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'TransactionConflict',
  'InternalServerError',
  'ECONNRESET',
  'TimeoutError',
] as const;
export const S3_FAULT_KINDS = ['SlowDown', 'InternalError', 'ECONNRESET', 'TimeoutError'] as const;

export type DynamoDbFaultKind = (typeof DYNAMODB_FAULT_KINDS)[number];
export type S3FaultKind = (typeof S3_FAULT_KINDS)[number];
export type AwsService = 'dynamodb' | 's3';
export type FaultTiming = 'before' | 'after';

/** Kinds that may happen after the request took effect (the reply is lost or is a 500). */
const AMBIGUOUS_KINDS: ReadonlySet<string> = new Set(['InternalServerError', 'InternalError', 'ECONNRESET', 'TimeoutError']);

export interface AwsFaultSettings {
  /** Chance, in [0, 1], that a call fails. */
  readonly rate: number;
  /** Of the failures whose kind allows it, the share injected after the call took effect. Default 0.5. */
  readonly afterShare?: number;
  readonly dynamodbKinds?: readonly DynamoDbFaultKind[];
  readonly s3Kinds?: readonly S3FaultKind[];
  /** How long a simulated timeout waits before failing. Default 25 ms. */
  readonly timeoutDelayMs?: number;
}

/**
 * What every installed middleware consults: the rates, an on/off switch, an
 * error storm (a window in which a much higher share of calls fail), and the
 * counts of faults injected by kind.
 */
export class AwsFaultSwitch {
  enabled = true;
  private stormUntilMs = 0;
  private stormRate = 0;

  constructor(
    readonly settings: AwsFaultSettings,
    readonly counts: FaultCounts = new FaultCounts(),
    private readonly now: () => number = Date.now,
  ) {}

  /** For `durationMs` from now, calls fail at `rate` (default: half of them). */
  storm(durationMs: number, rate = 0.5): void {
    this.stormUntilMs = this.now() + durationMs;
    this.stormRate = rate;
  }

  stormActive(): boolean {
    return this.now() < this.stormUntilMs;
  }

  /** The chance that the next call fails. */
  rateNow(): number {
    if (!this.enabled) return 0;
    return this.stormActive() ? Math.max(this.settings.rate, this.stormRate) : this.settings.rate;
  }
}

export interface FaultDecision {
  readonly kind: DynamoDbFaultKind | S3FaultKind;
  readonly timing: FaultTiming;
  /** Uniform in [0, 1): which item of a transaction conflicts. */
  readonly pick: number;
}

/** Whether (and how) the next call fails: a pure function of the switch and one random stream. */
export function decideFault(service: AwsService, sw: AwsFaultSwitch, random: () => number): FaultDecision | undefined {
  const rate = sw.rateNow();
  if (rate <= 0 || random() >= rate) return undefined;
  const kinds: readonly (DynamoDbFaultKind | S3FaultKind)[] =
    service === 'dynamodb' ? (sw.settings.dynamodbKinds ?? DYNAMODB_FAULT_KINDS) : (sw.settings.s3Kinds ?? S3_FAULT_KINDS);
  if (kinds.length === 0) return undefined;
  const kind = kinds[Math.floor(random() * kinds.length)]!;
  const after = AMBIGUOUS_KINDS.has(kind) && random() < (sw.settings.afterShare ?? 0.5);
  return { kind, timing: after ? 'after' : 'before', pick: kind === 'TransactionConflict' ? random() : 0 };
}

interface BuildInput {
  readonly kind: DynamoDbFaultKind | S3FaultKind;
  readonly commandName: string;
  readonly input: unknown;
  readonly requestId: string;
  readonly timeoutMs: number;
  /** Uniform in [0, 1): which item of a transaction conflicts. */
  readonly pick: number;
}

function metadata(status: number, requestId: string) {
  return { httpStatusCode: status, requestId, attempts: 1, totalRetryDelay: 0 };
}

/**
 * An error shaped as the SDK shapes it: the modeled class where DynamoDB has
 * one, else the service's base exception named as S3 names it (`$fault` is
 * 'client' there, as the SDK sets for unmodeled errors), `$metadata` with the
 * HTTP status, `$retryable` on throttling, and `code` on socket errors.
 */
export function buildAwsError(b: BuildInput): Error {
  switch (b.kind) {
    case 'ECONNRESET':
      return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
    case 'TimeoutError':
      return Object.assign(new Error(`Connection timed out after ${b.timeoutMs} ms`), { name: 'TimeoutError' });
    case 'ProvisionedThroughputExceededException':
      return Object.assign(
        new ProvisionedThroughputExceededException({
          message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
          $metadata: metadata(400, b.requestId),
        }),
        { $retryable: { throttling: true } },
      );
    case 'ThrottlingException':
      return Object.assign(new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: metadata(400, b.requestId) }), {
        $retryable: { throttling: true },
      });
    case 'TransactionConflict':
      return transactionConflict(b);
    case 'InternalServerError':
      return new InternalServerError({ message: 'Internal server error', $metadata: metadata(500, b.requestId) });
    case 'SlowDown':
      return Object.assign(
        new S3ServiceException({ name: 'SlowDown', $fault: 'client', message: 'Please reduce your request rate.', $metadata: metadata(503, b.requestId) }),
        { $retryable: { throttling: true } },
      );
    case 'InternalError':
      return new S3ServiceException({
        name: 'InternalError',
        $fault: 'client',
        message: 'We encountered an internal error. Please try again.',
        $metadata: metadata(500, b.requestId),
      });
  }
}

/** A transaction conflicts as TransactionCanceledException with a TransactionConflict reason; any other call as TransactionConflictException. */
function transactionConflict(b: BuildInput): DynamoDBServiceException {
  if (b.commandName !== 'TransactWriteItemsCommand' && b.commandName !== 'TransactGetItemsCommand') {
    return new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: metadata(400, b.requestId) });
  }
  const items = (b.input as { TransactItems?: unknown[] }).TransactItems ?? [];
  const conflicted = Math.floor(b.pick * items.length);
  const reasons = items.map((_, i) => (i === conflicted ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' }));
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    CancellationReasons: reasons,
    $metadata: metadata(400, b.requestId),
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let injected = 0;

/** A request id like the services' own (uppercase, fixed length), distinct per injected fault. */
function requestId(): string {
  injected++;
  return `KAFKALESSFAULT${String(injected).padStart(18, '0')}`;
}

/** A GetObject's body left unread after an injected failure must be released, or its socket stays busy. */
function discardBody(output: unknown): void {
  const body = (output as { Body?: { destroy?: () => void } } | undefined)?.Body;
  body?.destroy?.();
}

type AnyFinalizeHandler = FinalizeHandler<object, object>;

function faultMiddleware(service: AwsService, sw: AwsFaultSwitch, random: () => number) {
  return (next: AnyFinalizeHandler, context: HandlerExecutionContext): AnyFinalizeHandler =>
    async (args: FinalizeHandlerArguments<object>): Promise<FinalizeHandlerOutput<object>> => {
      const decision = decideFault(service, sw, random);
      if (decision === undefined) return next(args);
      const commandName = context.commandName ?? 'UnknownCommand';
      const timeoutMs = sw.settings.timeoutDelayMs ?? 25;
      const build = () => buildAwsError({ kind: decision.kind, commandName, input: args.input, requestId: requestId(), timeoutMs, pick: decision.pick });
      if (decision.timing === 'after') {
        const out = await next(args);
        discardBody(out.output);
        sw.counts.add(`${service} ${decision.kind} after`);
        if (decision.kind === 'TimeoutError') await sleep(timeoutMs);
        throw build();
      }
      sw.counts.add(`${service} ${decision.kind} before`);
      if (decision.kind === 'TimeoutError') await sleep(timeoutMs);
      throw build();
    };
}

interface MiddlewareHost {
  readonly middlewareStack: {
    add(middleware: ReturnType<typeof faultMiddleware>, options: { step: 'finalizeRequest'; priority: 'low'; name: string; tags?: string[] }): void;
  };
}

export const FAULT_MIDDLEWARE_NAME = 'kafkalessFaultInjection';

/**
 * Adds the fault middleware to a client. Give each client its own random
 * stream (e.g. `seededRandom(seed + i)`) so a run's decisions replay.
 */
export function installAwsFaults(client: DynamoDBClient | S3Client, service: AwsService, sw: AwsFaultSwitch, random: () => number): void {
  (client as unknown as MiddlewareHost).middlewareStack.add(faultMiddleware(service, sw, random), {
    step: 'finalizeRequest',
    priority: 'low',
    name: FAULT_MIDDLEWARE_NAME,
    tags: ['FAULT_INJECTION'],
  });
}
