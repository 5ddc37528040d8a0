/**
 * Counts the AWS requests a client sends, by command, with SDK middleware:
 * every attempt the SDK makes counts (the `finalizeRequest` step runs once per
 * HTTP attempt, retries included), since AWS bills each one.
 *
 * DynamoDB request units: reads and single-item writes are asked for
 * `ReturnConsumedCapacity: TOTAL` and the units the server reports are added
 * up. TransactWriteItems is priced by AWS's documented rule instead, 2 WRU per
 * item per started KB (DynamoDB Local reports 4 per small item, twice what
 * AWS bills): the size of each item is reckoned from what the request writes,
 * and a ConditionCheck is charged as a write, an upper bound.
 */
import type { DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { itemSizeBytes, type AttributeMap } from './item-size.js';

/** DynamoDB commands that accept ReturnConsumedCapacity. */
const CAPACITY_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'TransactGetItemsCommand',
]);

interface ConsumedCapacity {
  readonly CapacityUnits?: number;
  readonly ReadCapacityUnits?: number;
  readonly WriteCapacityUnits?: number;
}

export interface CounterSnapshot {
  /** Requests sent per `service:Command` (e.g. `s3:PutObject`), retries included. */
  readonly requests: Readonly<Record<string, number>>;
  /** Write request units DynamoDB reported. */
  readonly writeUnits: number;
  /** Read request units DynamoDB reported. */
  readonly readUnits: number;
  /** Items written by TransactWriteItems calls (every attempt). */
  readonly transactItems: number;
}

/** Write units AWS bills for one TransactWriteItems call: 2 per item per started KB. */
export function transactionWriteUnits(items: readonly TransactWriteItem[]): number {
  let units = 0;
  for (const item of items) {
    const sizeBytes = item.Put
      ? itemSizeBytes(item.Put.Item as AttributeMap)
      : item.Update
        ? itemSizeBytes(item.Update.Key as AttributeMap) + itemSizeBytes((item.Update.ExpressionAttributeValues ?? {}) as AttributeMap)
        : 1024;
    units += 2 * Math.max(1, Math.ceil(sizeBytes / 1024));
  }
  return units;
}

export class RequestCounter {
  private requests = new Map<string, number>();
  private writeUnits = 0;
  private readUnits = 0;
  private transactItems = 0;

  /** Counts this S3 client's requests from now on. */
  watchS3(client: S3Client): void {
    this.watch(client, 's3', false);
  }

  /** Counts this DynamoDB client's requests and capacity units from now on. */
  watchDynamoDb(client: DynamoDBClient): void {
    this.watch(client, 'dynamodb', true);
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

  private add(key: string): void {
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  private addTransaction(request: unknown): void {
    const body = (request as { body?: unknown } | undefined)?.body;
    const text = typeof body === 'string' ? body : body instanceof Uint8Array ? new TextDecoder().decode(body) : undefined;
    if (text === undefined) return;
    const items = (JSON.parse(text) as { TransactItems?: TransactWriteItem[] }).TransactItems ?? [];
    this.transactItems += items.length;
    this.writeUnits += transactionWriteUnits(items);
  }

  private record(isWrite: boolean, capacity: unknown): void {
    const list = (Array.isArray(capacity) ? capacity : capacity === undefined ? [] : [capacity]) as ConsumedCapacity[];
    for (const c of list) {
      const total = c.CapacityUnits ?? (c.ReadCapacityUnits ?? 0) + (c.WriteCapacityUnits ?? 0);
      if (c.WriteCapacityUnits !== undefined || c.ReadCapacityUnits !== undefined) {
        this.writeUnits += c.WriteCapacityUnits ?? 0;
        this.readUnits += c.ReadCapacityUnits ?? 0;
      } else if (isWrite) this.writeUnits += total;
      else this.readUnits += total;
    }
  }

  private watch(client: S3Client | DynamoDBClient, service: 's3' | 'dynamodb', capacity: boolean): void {
    const stack = client.middlewareStack as unknown as MiddlewareStackLike;
    stack.add(
      (next, context) => async (args) => {
        this.add(`${service}:${String(context.commandName).replace(/Command$/, '')}`);
        return next(args);
      },
      { step: 'finalizeRequest', name: `benchRequestCounter-${service}`, override: true },
    );
    if (!capacity) return;
    // Transaction units from the serialized request: by then lib-dynamodb has marshalled its items.
    stack.add(
      (next, context) => async (args) => {
        if (String(context.commandName) === 'TransactWriteItemsCommand') this.addTransaction(args.request);
        return next(args);
      },
      { step: 'build', name: 'benchTransactionUnits', override: true },
    );
    stack.add(
      (next, context) => async (args) => {
        const commandName = String(context.commandName);
        if (!CAPACITY_COMMANDS.has(commandName) || commandName === 'TransactWriteItemsCommand') return next(args);
        const input = args.input as Record<string, unknown>;
        input.ReturnConsumedCapacity = 'TOTAL';
        const out = await next(args);
        const isWrite = /Put|Update|Delete|Write/.test(commandName);
        this.record(isWrite, (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
        return out;
      },
      { step: 'initialize', name: 'benchCapacityCounter', override: true },
    );
  }
}

/** The slice of the SDK's middleware stack used here. */
interface MiddlewareStackLike {
  add(
    middleware: (
      next: (args: { input: unknown; request?: unknown }) => Promise<{ output: unknown }>,
      context: { commandName?: string },
    ) => (args: { input: unknown; request?: unknown }) => Promise<{ output: unknown }>,
    options: { step: 'initialize' | 'build' | 'finalizeRequest'; name: string; override: boolean },
  ): void;
}

/** Sums request counts whose key starts with a prefix (`s3:`, `dynamodb:`) or matches exactly. */
export function countOf(snapshot: CounterSnapshot, ...keys: string[]): number {
  let n = 0;
  for (const [key, count] of Object.entries(snapshot.requests)) {
    if (keys.some((k) => (k.endsWith(':') ? key.startsWith(k) : key === k))) n += count;
  }
  return n;
}
