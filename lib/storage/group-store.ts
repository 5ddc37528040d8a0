/**
 * Consumer groups in DynamoDB. Every change to a group's meta and members is
 * one TransactWriteItems conditional on the meta item's version, so the
 * coordinator's steps are serialized per group; a lost race is reported as
 * `GroupConflict` (re-read and retry). Member offset commits do not touch
 * the meta: they are conditional on the member item instead (epoch, session,
 * ownership of every committed partition).
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from './document-client.js';
import { allItems, queryItems, scanItems } from './dynamodb-pages.js';
import {
  itemToMember,
  itemToMeta,
  itemToOffset,
  MEMBER_PREFIX,
  memberSk,
  memberToItem,
  META_SK,
  metaToItem,
  OFFSET_PREFIX,
  offsetSk,
  offsetToItem,
  offsetTopicPrefix,
} from './group-items.js';
import { tpKey, type GroupMember, type GroupMeta, type GroupState, type OffsetRecord, type TopicPartitionRef } from './group-records.js';
import { cancellationReasons, failedConditions, isConditionalCheckFailed, toInfrastructureError } from './dynamodb-errors.js';
import { DYNAMODB_BATCH_GET_ITEMS, DYNAMODB_BATCH_WRITE_ITEMS, DYNAMODB_TRANSACTION_ITEMS } from '../limits.js';


/** The group changed since it was read: re-read and try again. */
export class GroupConflict extends Error {
  readonly retriable = true;
  constructor(groupId: string) {
    super(`Group '${groupId}' changed concurrently`);
    this.name = 'GroupConflict';
  }
}

/** A member commit's condition on the member item failed; the caller re-reads the member to say why. */
export class MemberCheckFailed extends Error {
  constructor(readonly memberId: string) {
    super(`The member check for '${memberId}' failed`);
    this.name = 'MemberCheckFailed';
  }
}

export interface GroupWrite {
  readonly groupId: string;
  /** The version read; undefined when the group did not exist. */
  readonly expectedVersion: number | undefined;
  /** Written whole, with its version already bumped. */
  readonly meta: GroupMeta;
  readonly putMembers: readonly GroupMember[];
  readonly deleteMembers: readonly string[];
  /** Written as given: an explicit commit or a reset may move an offset back. */
  readonly offsets?: readonly OffsetRecord[];
  /** Committed offsets removed in the same transaction (OffsetDelete). */
  readonly deleteOffsets?: readonly TopicPartitionRef[];
}

export interface MemberCommit {
  readonly groupId: string;
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly nowMs: number;
  /** Every partition the request names: the member must own each. */
  readonly partitions: readonly TopicPartitionRef[];
  /** The offsets to write. */
  readonly offsets: readonly OffsetRecord[];
}

type Item = Record<string, unknown>;

export class GroupStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = documentClient(dynamodb);
  }

  /** The group's meta and members (strongly consistent), or undefined when the group does not exist. */
  async load(groupId: string): Promise<GroupState | undefined> {
    // 'member#…' < 'meta' < 'offset#…': one range holds the members and the meta.
    const items = await this.query(groupId, 'sk BETWEEN :from AND :to', { ':from': MEMBER_PREFIX, ':to': META_SK });
    const metaItem = items.find((i) => i.sk === META_SK);
    if (metaItem === undefined) return undefined;
    const members = items
      .filter((i) => String(i.sk).startsWith(MEMBER_PREFIX))
      .map(itemToMember)
      .sort((a, b) => a.joinOrder - b.joinOrder || (a.memberId < b.memberId ? -1 : 1));
    return { meta: itemToMeta(metaItem), members };
  }

  async getMember(groupId: string, memberId: string): Promise<GroupMember | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: groupId, sk: memberSk(memberId) }, ConsistentRead: true }));
      return out.Item === undefined ? undefined : itemToMember(out.Item);
    } catch (err) {
      throw toInfrastructureError(err, 'GetItem');
    }
  }

  /** Writes a coordinator step atomically; `GroupConflict` when the group changed since it was read. */
  async save(write: GroupWrite): Promise<void> {
    const items = [this.metaPut(write), ...write.putMembers.map((m) => this.put(memberToItem(write.groupId, m)))];
    for (const memberId of write.deleteMembers) items.push({ Delete: { TableName: this.tableName, Key: { pk: write.groupId, sk: memberSk(memberId) } } });
    for (const record of write.offsets ?? []) items.push(this.offsetPut(write.groupId, record));
    for (const tp of write.deleteOffsets ?? []) items.push({ Delete: { TableName: this.tableName, Key: { pk: write.groupId, sk: offsetSk(tp.topic, tp.partition) } } });
    await this.transact(items, write.groupId, () => new GroupConflict(write.groupId));
  }

  /** Writes a member's offsets if, at that moment, it still has this epoch, a live session and every named partition. */
  async commitMemberOffsets(commit: MemberCommit): Promise<void> {
    if (commit.offsets.length === 0) return;
    const values: Record<string, unknown> = { ':e': commit.memberEpoch, ':now': commit.nowMs };
    const owns = commit.partitions.map((tp, i) => {
      values[`:tp${i}`] = tpKey(tp);
      return `contains(#owned, :tp${i})`;
    });
    const check = {
      ConditionCheck: {
        TableName: this.tableName,
        Key: { pk: commit.groupId, sk: memberSk(commit.memberId) },
        ConditionExpression: ['(memberEpoch = :e OR previousMemberEpoch = :e)', 'sessionExpiresAtMs > :now', 'attribute_not_exists(leftStatic)', ...owns].join(' AND '),
        ExpressionAttributeNames: { '#owned': 'owned' },
        ExpressionAttributeValues: values,
      },
    };
    const items = [check, ...commit.offsets.map((r) => this.offsetPut(commit.groupId, r))];
    await this.transact(items, commit.groupId, (index) => (index === 0 ? new MemberCheckFailed(commit.memberId) : new GroupConflict(commit.groupId)));
  }

  /**
   * Writes a classic member's offsets if, at that moment, the group is still
   * at this generation and not completing a rebalance, and the member is in
   * it. Unlike a consumer member's commit, ownership is not checked: the
   * classic coordinator does not know the assignment.
   */
  async commitClassicOffsets(commit: Omit<MemberCommit, 'partitions' | 'memberEpoch'> & { readonly generationId: number }): Promise<void> {
    if (commit.offsets.length === 0) return;
    const group = {
      ConditionCheck: {
        TableName: this.tableName,
        Key: { pk: commit.groupId, sk: META_SK },
        ConditionExpression: 'attribute_exists(classic) AND groupEpoch = :g AND #state <> :completing',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':g': commit.generationId, ':completing': 'COMPLETING_REBALANCE' },
      },
    };
    const member = {
      ConditionCheck: {
        TableName: this.tableName,
        Key: { pk: commit.groupId, sk: memberSk(commit.memberId) },
        ConditionExpression: 'memberEpoch = :g',
        ExpressionAttributeValues: { ':g': commit.generationId },
      },
    };
    const items = [group, member, ...commit.offsets.map((r) => this.offsetPut(commit.groupId, r))];
    await this.transact(items, commit.groupId, (index) => (index <= 1 ? new MemberCheckFailed(commit.memberId) : new GroupConflict(commit.groupId)));
  }

  /** Committed offsets of the given partitions (strongly consistent), by `topic#partition`. */
  async getOffsets(groupId: string, partitions: readonly TopicPartitionRef[]): Promise<Map<string, OffsetRecord>> {
    const found = new Map<string, OffsetRecord>();
    const unique = [...new Map(partitions.map((tp) => [tpKey(tp), tp])).values()];
    for (let i = 0; i < unique.length; i += DYNAMODB_BATCH_GET_ITEMS) {
      let keys: Item[] = unique.slice(i, i + DYNAMODB_BATCH_GET_ITEMS).map((tp) => ({ pk: groupId, sk: offsetSk(tp.topic, tp.partition) }));
      for (let round = 0; keys.length > 0; round++) {
        if (round > 20) throw toInfrastructureError(new Error('unprocessed keys remain'), 'BatchGetItem');
        try {
          const out = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));
          for (const item of out.Responses?.[this.tableName] ?? []) {
            const record = itemToOffset(item);
            found.set(tpKey(record), record);
          }
          keys = (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Item[];
        } catch (err) {
          throw toInfrastructureError(err, 'BatchGetItem');
        }
      }
    }
    return found;
  }

  /** The group's committed offsets, of the named topics or all. */
  async listOffsets(groupId: string, topics?: readonly string[]): Promise<OffsetRecord[]> {
    const prefixes = topics === undefined ? [OFFSET_PREFIX] : [...new Set(topics)].map(offsetTopicPrefix);
    const out: OffsetRecord[] = [];
    for (const prefix of prefixes) {
      const items = await this.query(groupId, 'begins_with(sk, :prefix)', { ':prefix': prefix });
      out.push(...items.map(itemToOffset));
    }
    return out;
  }

  /** Every group's meta (for listing groups and for expiry sweeps). */
  async listMetas(): Promise<GroupMeta[]> {
    const items = await allItems(
      scanItems(this.doc, { TableName: this.tableName, ConsistentRead: true, FilterExpression: 'sk = :meta', ExpressionAttributeValues: { ':meta': META_SK } }),
    );
    const metas = items.map(itemToMeta);
    return metas.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  /** Removes every offset item of a group (after it was marked DEAD). */
  async deleteAllOffsets(groupId: string): Promise<void> {
    const items = await this.query(groupId, 'begins_with(sk, :prefix)', { ':prefix': OFFSET_PREFIX });
    for (let i = 0; i < items.length; i += DYNAMODB_BATCH_WRITE_ITEMS) {
      let requests: Item[] = items.slice(i, i + DYNAMODB_BATCH_WRITE_ITEMS).map((item) => ({ DeleteRequest: { Key: { pk: groupId, sk: item.sk } } }));
      for (let round = 0; requests.length > 0; round++) {
        if (round > 20) throw toInfrastructureError(new Error('unprocessed items remain'), 'BatchWriteItem');
        try {
          const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests as never } }));
          requests = (out.UnprocessedItems?.[this.tableName] ?? []) as Item[];
        } catch (err) {
          throw toInfrastructureError(err, 'BatchWriteItem');
        }
      }
    }
  }

  /** Removes a DEAD group's meta; a group that came back to life meanwhile is left alone. */
  async deleteDeadMeta(groupId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: groupId, sk: META_SK },
          ConditionExpression: '#s = :dead',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':dead': 'DEAD' },
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) throw new GroupConflict(groupId);
      throw toInfrastructureError(err, 'DeleteItem');
    }
  }

  private metaPut(write: GroupWrite): Item {
    const condition =
      write.expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': write.expectedVersion } };
    return { Put: { TableName: this.tableName, Item: metaToItem(write.meta), ...condition } };
  }

  private put(item: Item): Item {
    return { Put: { TableName: this.tableName, Item: item } };
  }

  private offsetPut(groupId: string, record: OffsetRecord): Item {
    return { Put: { TableName: this.tableName, Item: offsetToItem(groupId, record) } };
  }

  private async transact(items: Item[], groupId: string, onConditionFailed: (index: number) => Error): Promise<void> {
    if (items.length > DYNAMODB_TRANSACTION_ITEMS) throw new Error(`A group write of ${items.length} items exceeds one transaction (${DYNAMODB_TRANSACTION_ITEMS})`);
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items as never }));
    } catch (err) {
      const failed = failedConditions(err);
      if (failed !== undefined) throw onConditionFailed(failed[0]!.index);
      if (cancellationReasons(err)?.some((r) => r.Code === 'TransactionConflict')) throw new GroupConflict(groupId);
      throw toInfrastructureError(err, 'TransactWriteItems');
    }
  }

  private async query(groupId: string, condition: string, values: Record<string, unknown>): Promise<Item[]> {
    return allItems(
      queryItems(this.doc, {
        TableName: this.tableName,
        ConsistentRead: true,
        KeyConditionExpression: `pk = :pk AND ${condition}`,
        ExpressionAttributeValues: { ':pk': groupId, ...values },
      }),
    );
  }
}
