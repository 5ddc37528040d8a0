/**
 * Counts a DynamoDB client's requests and request units when its commands
 * come through lib-dynamodb's document client, as the group coordinator's
 * do. `RequestCounter` reads a TransactWriteItems' items at the `initialize`
 * step, where a document client's items are still plain values; here they
 * are read from the request body at the `build` step, after marshalling, and
 * priced by the same rule (`transactionWriteUnits`: 2 WRU per item per
 * started KB). Requests are counted once per HTTP attempt (`finalizeRequest`);
 * other commands' units are what DynamoDB reports (`ReturnConsumedCapacity`).
 */
import type { DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { transactionWriteUnits, type CounterSnapshot } from './request-counter.js';

const REPORTING_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
]);

interface ConsumedCapacity {
  readonly CapacityUnits?: number;
  readonly ReadCapacityUnits?: number;
  readonly WriteCapacityUnits?: number;
}

type Next = (args: { input: unknown; request?: unknown }) => Promise<{ output: unknown }>;
type Step = 'initialize' | 'build' | 'finalizeRequest';

interface StackLike {
  add(middleware: (next: Next, context: { commandName?: string }) => Next, options: { step: Step; name: string; override: boolean }): void;
}

export class DocumentClientCounter {
  private requests = new Map<string, number>();
  private writeUnits = 0;
  private readUnits = 0;
  private transactItems = 0;

  watch(client: DynamoDBClient): void {
    const stack = client.middlewareStack as unknown as StackLike;
    stack.add(
      (next, context) => async (args) => {
        const key = `dynamodb:${String(context.commandName).replace(/Command$/, '')}`;
        this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
        return next(args);
      },
      { step: 'finalizeRequest', name: 'groupsBenchRequestCount', override: true },
    );
    stack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') this.addTransaction(args.request);
        return next(args);
      },
      { step: 'build', name: 'groupsBenchTransactionUnits', override: true },
    );
    stack.add(
      (next, context) => async (args) => {
        const commandName = String(context.commandName);
        if (!REPORTING_COMMANDS.has(commandName)) return next(args);
        (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
        const out = await next(args);
        this.addReported(/Put|Update|Delete|Write/.test(commandName), (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
        return out;
      },
      { step: 'initialize', name: 'groupsBenchReportedUnits', override: true },
    );
  }

  reset(): void {
    this.requests = new Map();
    this.writeUnits = 0;
    this.readUnits = 0;
    this.transactItems = 0;
  }

  snapshot(): CounterSnapshot {
    return { requests: Object.fromEntries(this.requests), writeUnits: this.writeUnits, readUnits: this.readUnits, transactItems: this.transactItems };
  }

  private addTransaction(request: unknown): void {
    const body = (request as { body?: unknown } | undefined)?.body;
    const text = typeof body === 'string' ? body : body instanceof Uint8Array ? new TextDecoder().decode(Uint8Array.prototype.slice.call(body)) : undefined;
    if (text === undefined) return;
    const items = (JSON.parse(text) as { TransactItems?: TransactWriteItem[] }).TransactItems ?? [];
    this.transactItems += items.length;
    this.writeUnits += transactionWriteUnits(items);
  }

  private addReported(isWrite: boolean, capacity: unknown): void {
    const list = (Array.isArray(capacity) ? capacity : capacity === undefined ? [] : [capacity]) as ConsumedCapacity[];
    for (const c of list) {
      if (c.WriteCapacityUnits !== undefined || c.ReadCapacityUnits !== undefined) {
        this.writeUnits += c.WriteCapacityUnits ?? 0;
        this.readUnits += c.ReadCapacityUnits ?? 0;
      } else if (isWrite) this.writeUnits += c.CapacityUnits ?? 0;
      else this.readUnits += c.CapacityUnits ?? 0;
    }
  }
}
