/**
 * Connectors' state in the partitions table, beside the heads and leases
 * (docs/CONNECT.md, docs/ARCHITECTURE.md): `connect#<name>` → the state the
 * user set (RUNNING unless paused), and `connect#<name>#task#<n>` → a task's
 * failure (state FAILED, the error's trace, when), present only while the
 * task is failed. No item means running, so a connector costs no write
 * until it is paused or fails. Neither kind has a `highWatermark`, so the
 * table's stream mapping never wakes a subscription for them.
 */
import { BatchGetCommand, BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DYNAMODB_BATCH_GET_ITEMS, DYNAMODB_BATCH_WRITE_ITEMS } from '../limits.js';
import { documentClient } from './document-client.js';
import { toInfrastructureError } from './dynamodb-errors.js';

export const CONNECTOR_PREFIX = 'connect#';

export type ConnectorTargetState = 'RUNNING' | 'PAUSED';
export type TaskState = 'RUNNING' | 'PAUSED' | 'FAILED';

export interface TaskFailure {
  readonly trace: string;
  readonly failedAtMs: number;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;
}

export interface StoredConnectorState {
  readonly state: ConnectorTargetState;
  readonly updatedAtMs?: number;
  /** Failed tasks by task number. */
  readonly failures: ReadonlyMap<number, TaskFailure>;
}

export function connectorKey(name: string): string {
  return `${CONNECTOR_PREFIX}${name}`;
}

export function taskKey(name: string, task: number): string {
  return `${CONNECTOR_PREFIX}${name}#task#${task}`;
}

/** A source's offset of one source partition (Kafka Connect's offsets topic, keyed as it is by source partition). */
export function offsetKey(name: string, sourcePartition: string): string {
  return `${CONNECTOR_PREFIX}${name}#offset#${sourcePartition}`;
}

const MAX_UNPROCESSED_ROUNDS = 20;

const MAX_TRACE_CHARS = 8_000;

export class ConnectorStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = documentClient(dynamodb);
  }

  /** The connector's state and the failures of its tasks 0 … tasks-1. */
  async read(name: string, tasks: number): Promise<StoredConnectorState> {
    const [connector, ...taskItems] = await Promise.all([this.get(connectorKey(name)), ...Array.from({ length: tasks }, (_, i) => this.get(taskKey(name, i)))]);
    const failures = new Map<number, TaskFailure>();
    taskItems.forEach((item, i) => {
      if (item?.state === 'FAILED') failures.set(i, taskFailureOf(item));
    });
    const state: ConnectorTargetState = connector?.state === 'PAUSED' ? 'PAUSED' : 'RUNNING';
    return { state, ...(typeof connector?.updatedAtMs === 'number' ? { updatedAtMs: connector.updatedAtMs } : {}), failures };
  }

  /** What one task may do now: run, or not (paused by the user, or failed). */
  async taskState(name: string, task: number): Promise<TaskState> {
    const [connector, failed] = await Promise.all([this.get(connectorKey(name)), this.get(taskKey(name, task))]);
    if (failed?.state === 'FAILED') return 'FAILED';
    return connector?.state === 'PAUSED' ? 'PAUSED' : 'RUNNING';
  }

  async setState(name: string, state: ConnectorTargetState, nowMs: number): Promise<void> {
    await this.send('PutItem', () => this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: connectorKey(name), state, updatedAtMs: nowMs } })));
  }

  async failTask(name: string, task: number, failure: TaskFailure): Promise<void> {
    const item = { pk: taskKey(name, task), state: 'FAILED', ...failure, trace: failure.trace.slice(0, MAX_TRACE_CHARS) };
    await this.send('PutItem', () => this.doc.send(new PutCommand({ TableName: this.tableName, Item: item })));
  }

  /** Restart: the failed tasks run again (their records are read again from the committed offsets). */
  async clearFailures(name: string, tasks: number): Promise<void> {
    await Promise.all(Array.from({ length: tasks }, (_, i) => this.send('DeleteItem', () => this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: taskKey(name, i) } })))));
  }

  /** Source offsets (strings) of these source partitions; absent ones are left out. */
  async offsets(name: string, sourcePartitions: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const unique = [...new Set(sourcePartitions)];
    for (let i = 0; i < unique.length; i += DYNAMODB_BATCH_GET_ITEMS) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + DYNAMODB_BATCH_GET_ITEMS).map((p) => ({ pk: offsetKey(name, p) }));
      for (let round = 0; keys.length > 0; round++) {
        if (round > MAX_UNPROCESSED_ROUNDS) throw toInfrastructureError(new Error('BatchGetItem left keys unprocessed'), 'BatchGetItem');
        const reply = await this.send('BatchGetItem', () => this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } })));
        for (const item of reply.Responses?.[this.tableName] ?? []) {
          if (typeof item.pk === 'string' && typeof item.offset === 'string') found.set(item.pk.slice(offsetKey(name, '').length), item.offset);
        }
        keys = (reply.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return found;
  }

  /** Writes source offsets, after the records they stand for were acknowledged. */
  async putOffsets(name: string, offsets: ReadonlyMap<string, string>, nowMs: number): Promise<void> {
    const items = [...offsets].map(([p, offset]) => ({ PutRequest: { Item: { pk: offsetKey(name, p), offset, updatedAtMs: nowMs } } }));
    for (let i = 0; i < items.length; i += DYNAMODB_BATCH_WRITE_ITEMS) {
      let requests: unknown[] = items.slice(i, i + DYNAMODB_BATCH_WRITE_ITEMS);
      for (let round = 0; requests.length > 0; round++) {
        if (round > MAX_UNPROCESSED_ROUNDS) throw toInfrastructureError(new Error('BatchWriteItem left items unprocessed'), 'BatchWriteItem');
        const reply = await this.send('BatchWriteItem', () => this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests as never } })));
        requests = reply.UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }

  private async get(pk: string): Promise<Record<string, unknown> | undefined> {
    const reply = await this.send('GetItem', () => this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true })));
    return reply.Item;
  }

  private async send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw toInfrastructureError(err, operation);
    }
  }
}

function taskFailureOf(item: Record<string, unknown>): TaskFailure {
  return {
    trace: typeof item.trace === 'string' ? item.trace : '',
    failedAtMs: typeof item.failedAtMs === 'number' ? item.failedAtMs : 0,
    ...(typeof item.topic === 'string' ? { topic: item.topic } : {}),
    ...(typeof item.partition === 'number' ? { partition: item.partition } : {}),
    ...(typeof item.offset === 'number' ? { offset: item.offset } : {}),
  };
}
