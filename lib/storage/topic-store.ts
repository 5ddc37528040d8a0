/**
 * Topics in DynamoDB. One item per live topic, keyed by name; a collision
 * marker per normalized name (Kafka rejects `a.b` beside `a_b`); and, once a
 * topic is deleted, a tombstone keyed by its topicId telling maintenance
 * which data to remove. Creation and deletion are single transactions, so a
 * request either changes everything it names or nothing.
 */
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from './document-client.js';
import { allItems, scanItems } from './dynamodb-pages.js';
import { KafkalessError } from '../errors.js';
import { unifyCollisionChars } from '../protocol/topic-name.js';
import type { TopicConfigOverrides } from '../protocol/topic-config.js';
import { failedConditions, toInfrastructureError } from './dynamodb-errors.js';
import { batchGetAll } from './batch-get.js';

export type TopicState = 'ACTIVE';

export interface TopicRecord {
  readonly name: string;
  readonly topicId: string;
  readonly partitions: number;
  readonly configs: TopicConfigOverrides;
  /** As asked at creation (-1: the default); stored and described, with no effect (S3 and DynamoDB replicate). */
  readonly replicationFactor?: number;
  readonly state: TopicState;
  readonly createdAt: string;
  /** Bumped on every change; updates are conditional on it. */
  readonly version: number;
}

/**
 * The outcome of a conditional topic write whose topic changed or went away
 * since it was read: the caller reads again and replans (see the admin's
 * retryTopicRace), so it is not a client-facing error.
 */
export class TopicChanged extends Error {
  constructor(readonly topic: string) {
    super(`Topic '${topic}' was changed or deleted by another request meanwhile`);
    this.name = 'TopicChanged';
  }
}

export function isTopicChanged(err: unknown): err is TopicChanged {
  return err instanceof TopicChanged;
}

/** What one topic update changes. */
export interface TopicChange {
  readonly partitions?: number;
  readonly configs?: TopicConfigOverrides;
}

export interface DeletedTopicRecord {
  readonly topicId: string;
  readonly name: string;
  readonly partitions: number;
  readonly deletedAt: string;
}

const COLLISION_PREFIX = '#collision#';
const DELETED_PREFIX = '#deleted#';

export class TopicStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = documentClient(dynamodb);
  }

  async get(name: string): Promise<TopicRecord | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { name }, ConsistentRead: true }));
      return out.Item && isTopicItem(out.Item) ? toRecord(out.Item) : undefined;
    } catch (err) {
      throw toInfrastructureError(err, 'GetItem');
    }
  }

  /** The live topics of these names (strongly consistent, one BatchGetItem per 100), leaving out those that do not exist. */
  async getMany(names: readonly string[]): Promise<TopicRecord[]> {
    const items = await batchGetAll(this.doc, this.tableName, [...new Set(names)].map((name) => ({ name })));
    return items.filter(isTopicItem).map(toRecord);
  }

  /** A live topic, or `UnknownTopicOrPartition`. */
  async require(name: string): Promise<TopicRecord> {
    const topic = await this.get(name);
    if (topic === undefined) {
      throw new KafkalessError('UnknownTopicOrPartition', `Topic '${name}' does not exist. Create it with \`kafkaless topics create ${name}\`.`, {
        context: { topic: name },
      });
    }
    return topic;
  }

  /** All live topics, sorted by name. */
  async list(): Promise<TopicRecord[]> {
    return (await this.scanAll()).filter(isTopicItem).map(toRecord).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Topics deleted but whose data maintenance has not yet removed. */
  async listDeleted(): Promise<DeletedTopicRecord[]> {
    return (await this.scanAll())
      .filter((item) => typeof item.name === 'string' && item.name.startsWith(DELETED_PREFIX))
      .map((item) => ({
        topicId: String(item.topicId),
        name: String(item.topic),
        partitions: Number(item.partitions),
        deletedAt: String(item.deletedAt),
      }));
  }

  /**
   * Creates every topic or none. `TopicAlreadyExists` names the first that
   * exists; `InvalidTopic` names a collision with a different existing topic.
   */
  async create(topics: readonly TopicRecord[]): Promise<void> {
    const items = topics.flatMap((t) => [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...t },
          ConditionExpression: 'attribute_not_exists(#n)',
          ExpressionAttributeNames: { '#n': 'name' },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { name: COLLISION_PREFIX + unifyCollisionChars(t.name), topic: t.name },
          ConditionExpression: 'attribute_not_exists(#n)',
          ExpressionAttributeNames: { '#n': 'name' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      },
    ]);
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      const failed = failedConditions(err);
      if (failed === undefined) throw toInfrastructureError(err, 'TransactWriteItems');
      // Items come in pairs per topic: its name, then its collision-free form.
      const taken = failed.find((f) => f.index % 2 === 0);
      if (taken !== undefined) {
        const topic = topics[Math.floor(taken.index / 2)]!;
        throw new KafkalessError('TopicAlreadyExists', `Topic '${topic.name}' already exists.`, { context: { topic: topic.name } });
      }
      const collision = failed[0]!;
      const topic = topics[Math.floor(collision.index / 2)]!;
      throw new KafkalessError('InvalidTopic', `Topic '${topic.name}' collides with existing topic: ${collisionOwner(collision.old)}`, {
        context: { topic: topic.name },
      });
    }
  }

  /**
   * Deletes topics at once: the names are free again immediately, and a
   * tombstone per topicId tells maintenance which data to remove.
   */
  async delete(topics: readonly TopicRecord[], deletedAt: string): Promise<void> {
    const items = topics.flatMap((t) => [
      {
        Delete: {
          TableName: this.tableName,
          Key: { name: t.name },
          ConditionExpression: 'topicId = :id',
          ExpressionAttributeValues: { ':id': t.topicId },
        },
      },
      { Delete: { TableName: this.tableName, Key: { name: COLLISION_PREFIX + unifyCollisionChars(t.name) } } },
      {
        Put: {
          TableName: this.tableName,
          Item: { name: DELETED_PREFIX + t.topicId, topic: t.name, topicId: t.topicId, partitions: t.partitions, deletedAt },
        },
      },
    ]);
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      const failed = failedConditions(err)?.[0];
      if (failed !== undefined) {
        const topic = topics[Math.floor(failed.index / 3)]!;
        throw new KafkalessError('UnknownTopicOrPartition', `Topic '${topic.name}' does not exist (it was deleted meanwhile).`, {
          context: { topic: topic.name },
        });
      }
      throw toInfrastructureError(err, 'TransactWriteItems');
    }
  }

  /** Forgets a deleted topic once maintenance has removed its data. */
  async forgetDeleted(topicId: string): Promise<void> {
    try {
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { name: DELETED_PREFIX + topicId } }));
    } catch (err) {
      throw toInfrastructureError(err, 'DeleteItem');
    }
  }

  /** Applies a change to one topic if nobody changed it since `expected` was read (else `TopicChanged`). */
  async update(expected: TopicRecord, change: TopicChange): Promise<TopicRecord> {
    const [next] = await this.updateMany([{ expected, change }]);
    return next!;
  }

  /**
   * Changes several topics in one transaction, each only if nobody changed
   * it since it was read: all change, or none (`TopicChanged`).
   */
  async updateMany(changes: readonly { expected: TopicRecord; change: TopicChange }[]): Promise<TopicRecord[]> {
    const next = changes.map(({ expected, change }): TopicRecord => ({
      ...expected,
      partitions: change.partitions ?? expected.partitions,
      configs: change.configs ?? expected.configs,
      version: expected.version + 1,
    }));
    const items = next.map((t, i) => ({
      Update: {
        TableName: this.tableName,
        Key: { name: t.name },
        UpdateExpression: 'SET #parts = :p, configs = :c, version = :next',
        ConditionExpression: 'topicId = :id AND version = :v',
        ExpressionAttributeNames: { '#parts': 'partitions' },
        ExpressionAttributeValues: { ':p': t.partitions, ':c': t.configs, ':next': t.version, ':id': t.topicId, ':v': changes[i]!.expected.version },
      },
    }));
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return next;
    } catch (err) {
      const failed = failedConditions(err)?.[0];
      if (failed !== undefined) throw new TopicChanged(next[failed.index]!.name);
      throw toInfrastructureError(err, 'TransactWriteItems');
    }
  }

  private async scanAll(): Promise<Record<string, unknown>[]> {
    return allItems(scanItems(this.doc, { TableName: this.tableName, ConsistentRead: true }));
  }
}

function isTopicItem(item: Record<string, unknown>): boolean {
  return typeof item.name === 'string' && !item.name.startsWith('#');
}

function toRecord(item: Record<string, unknown>): TopicRecord {
  return {
    name: String(item.name),
    topicId: String(item.topicId),
    partitions: Number(item.partitions),
    configs: (item.configs ?? {}) as TopicConfigOverrides,
    ...(typeof item.replicationFactor === 'number' ? { replicationFactor: item.replicationFactor } : {}),
    state: 'ACTIVE',
    createdAt: String(item.createdAt),
    version: Number(item.version ?? 0),
  };
}

function collisionOwner(item: Record<string, unknown> | undefined): string {
  const topic = item?.topic;
  return typeof topic === 'string' ? topic : 'another topic';
}
