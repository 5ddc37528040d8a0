/**
 * Consumer groups in DynamoDB. Every change to a group's meta and members is
 * one TransactWriteItems conditional on the meta item's version, so the
 * coordinator's steps are serialized per group; a lost race is reported as
 * `GroupConflict` (re-read and retry). Each member's target assignment is in
 * its own item. A quiet heartbeat (nothing changes but the member's
 * liveness) reads the meta and its member item and updates only the
 * member's liveness, conditional on the member item's `mv`, so it neither
 * reads the group nor writes anything the group shares. Member offset
 * commits do not touch the meta: they are conditional on the member item
 * instead (epoch, session, ownership of every committed partition), and
 * write into the member's own item: one UpdateItem per commit. A step that
 * takes a partition from a member copies its offset to the group's offsets
 * item of that topic, and a later step removes the member's entry
 * (group-items.ts says why an offset is never moved in one transaction).
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from './document-client.js';
import { allItems, queryItems, scanItems } from './dynamodb-pages.js';
import {
  itemToCommitCount,
  itemToMember,
  itemToMemberOffsets,
  itemToMemberVersion,
  itemToMeta,
  itemToTarget,
  itemToTopicOffsets,
  departedToItem,
  isDepartedItem,
  LIVENESS_ATTRIBUTES,
  MEMBER_PREFIX,
  memberTtl,
  memberSk,
  memberToItem,
  META_SK,
  metaToItem,
  OFFSETS_PREFIX,
  offsetsSk,
  offsetValue,
  partitionAttribute,
  byTopic,
  topicOffsetsUpdate,
} from './group-items.js';
import {
  atLeast,
  latestOffsets,
  ownedBy,
  sessionExpiresAtMs,
  tpKey,
  type GroupMember,
  type GroupMeta,
  type GroupState,
  type OffsetRecord,
  type StoredGroup,
  type StoredMember,
  type TopicPartitionRef,
} from './group-records.js';
import { cancellationReasons, failedConditions, isConditionalCheckFailed, toInfrastructureError } from './dynamodb-errors.js';
import { DYNAMODB_BATCH_WRITE_ITEMS, DYNAMODB_TRANSACTION_ITEMS } from '../limits.js';


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

/** A member the step changed, and as it was read (undefined: it is new). */
export interface MemberWrite {
  readonly member: GroupMember;
  readonly before: GroupMember | undefined;
}

export interface GroupWrite {
  readonly groupId: string;
  /** The version read; undefined when the group did not exist. */
  readonly expectedVersion: number | undefined;
  /** Written whole, with its version already bumped; its target assignment goes to the member items. */
  readonly meta: GroupMeta;
  /**
   * Members written. A member whose liveness changed (its own heartbeat, or a
   * join) is put whole, conditional on not moving its liveness back; any
   * other is updated without its liveness attributes, so a quiet heartbeat it
   * made meanwhile is kept. Either way only if unchanged since read, and the
   * offsets it holds of partitions it no longer owns are copied to the group's items.
   */
  readonly putMembers: readonly MemberWrite[];
  /** Members removed, as read: each only if it has not heartbeaten, changed or committed since; their offsets are copied to the group's items. */
  readonly deleteMembers: readonly GroupMember[];
  /** What the store read with the state (undefined: a new group). */
  readonly stored: StoredGroup | undefined;
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

/** What a quiet heartbeat reads: the meta (without targets) and the member item, with its own target and counters. */
export interface MemberView {
  readonly meta: GroupMeta;
  readonly member: GroupMember | undefined;
  readonly target: readonly TopicPartitionRef[] | undefined;
  readonly memberVersion: number;
  readonly stored: StoredMember;
}

/** A quiet heartbeat's write: the member's liveness, if its item is still as read and its session still running. */
export interface MemberTouch {
  readonly groupId: string;
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly memberVersion: number;
  readonly nowMs: number;
  readonly sessionTimeoutMs: number;
}

type Item = Record<string, unknown>;

const NO_STORED_MEMBER: StoredMember = { version: 0, commits: 0, offsets: [] };

function storedMember(item: Item): StoredMember {
  return { version: itemToMemberVersion(item), commits: itemToCommitCount(item), offsets: itemToMemberOffsets(item), ...(isDepartedItem(item) ? { departed: true } : {}) };
}

/** The topic's offsets item, as read, holds this partition's offset from this commit or a later one: the member's entry may go. */
function covered(write: GroupWrite, r: OffsetRecord): boolean {
  const current = write.stored?.topics[r.topic]?.offsets.find((o) => o.partition === r.partition);
  return current !== undefined && atLeast(current, r);
}

export class GroupStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = documentClient(dynamodb);
  }

  /** The group's meta, members and offsets items (strongly consistent, one Query), or undefined when the group does not exist. */
  async load(groupId: string): Promise<GroupState | undefined> {
    const items = await this.query(groupId);
    const metaItem = items.find((i) => i.sk === META_SK);
    if (metaItem === undefined) return undefined;
    const memberItems = items.filter((i) => String(i.sk).startsWith(MEMBER_PREFIX));
    const target: Record<string, TopicPartitionRef[]> = {};
    const members: Record<string, StoredMember> = {};
    for (const item of memberItems) members[String(item.memberId)] = storedMember(item);
    const live = memberItems.filter((i) => !isDepartedItem(i));
    for (const item of live) {
      const own = itemToTarget(item);
      if (own !== undefined) target[String(item.memberId)] = own;
    }
    const topics: Record<string, { version: number; offsets: OffsetRecord[] }> = {};
    for (const item of items.filter((i) => String(i.sk).startsWith(OFFSETS_PREFIX))) {
      const { topic, version, offsets } = itemToTopicOffsets(item);
      topics[topic] = { version, offsets };
    }
    const sorted = live.map(itemToMember).sort((a, b) => a.joinOrder - b.joinOrder || (a.memberId < b.memberId ? -1 : 1));
    return { meta: itemToMeta(metaItem, target), members: sorted, stored: { members, topics } };
  }

  /** The meta and one member item in one strongly consistent read; undefined when the group does not exist. */
  async loadMember(groupId: string, memberId: string): Promise<MemberView | undefined> {
    const keys = [
      { pk: groupId, sk: META_SK },
      { pk: groupId, sk: memberSk(memberId) },
    ];
    let items: Item[] = [];
    try {
      const out = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));
      if ((out.UnprocessedKeys?.[this.tableName]?.Keys ?? []).length > 0) throw new GroupConflict(groupId);
      items = out.Responses?.[this.tableName] ?? [];
    } catch (err) {
      if (err instanceof GroupConflict) throw err;
      throw toInfrastructureError(err, 'BatchGetItem');
    }
    const metaItem = items.find((i) => i.sk === META_SK);
    if (metaItem === undefined) return undefined;
    const found = items.find((i) => i.sk !== META_SK);
    const memberItem = found === undefined || isDepartedItem(found) ? undefined : found;
    return {
      meta: itemToMeta(metaItem),
      member: memberItem === undefined ? undefined : itemToMember(memberItem),
      target: memberItem === undefined ? undefined : itemToTarget(memberItem),
      memberVersion: found === undefined ? 0 : itemToMemberVersion(found),
      stored: found === undefined ? NO_STORED_MEMBER : storedMember(found),
    };
  }

  /** A quiet heartbeat: the member's liveness moves on, if nothing else changed its item and its session has not ended. False when not. */
  async touchMember(touch: MemberTouch): Promise<boolean> {
    const expiresAtMs = touch.nowMs + touch.sessionTimeoutMs;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: touch.groupId, sk: memberSk(touch.memberId) },
          UpdateExpression: 'SET lastHeartbeatMs = :now, sessionExpiresAtMs = :exp, expiresAt = :ttl',
          ConditionExpression: 'mv = :mv AND memberEpoch = :e AND sessionExpiresAtMs > :now AND lastHeartbeatMs <= :now AND sessionTimeoutMs = :st AND attribute_not_exists(leftStatic)',
          ExpressionAttributeValues: {
            ':now': touch.nowMs,
            ':exp': expiresAtMs,
            ':ttl': memberTtl(expiresAtMs),
            ':mv': touch.memberVersion,
            ':e': touch.memberEpoch,
            ':st': touch.sessionTimeoutMs,
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw toInfrastructureError(err, 'UpdateItem');
    }
  }

  /**
   * A heartbeat that changes only its own member item (its epoch catching up
   * with an unchanged target, or revocations started or acknowledged): the
   * whole item, with its target and offsets, if it is unchanged since read,
   * nothing was committed into it since, and its session is still running.
   * False when not (the caller falls back to a group step).
   */
  async putMemberAlone(groupId: string, member: GroupMember, target: readonly TopicPartitionRef[] | undefined, stored: StoredMember, nowMs: number): Promise<boolean> {
    const item = memberToItem(groupId, member, target, stored.version + 1, stored);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'mv = :mv AND cc = :cc AND lastHeartbeatMs <= :hb AND sessionExpiresAtMs > :now AND attribute_not_exists(departed)',
          ExpressionAttributeValues: { ':mv': stored.version, ':cc': stored.commits, ':hb': member.lastHeartbeatMs, ':now': nowMs },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw toInfrastructureError(err, 'PutItem');
    }
  }

  /**
   * Claims the group's next expiry sweep: moves `sweepAtMs` from the value
   * read to `nextMs`, so of the heartbeats that find the sweep due only one
   * runs it. It does not bump the version (a step that read the meta before
   * still writes, with its own `sweepAtMs`). False when another claimed it.
   */
  async claimSweep(groupId: string, seenMs: number, nextMs: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: groupId, sk: META_SK },
          UpdateExpression: 'SET sweepAtMs = :next',
          ConditionExpression: 'sweepAtMs = :seen',
          ExpressionAttributeValues: { ':next': nextMs, ':seen': seenMs },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw toInfrastructureError(err, 'UpdateItem');
    }
  }

  async getMember(groupId: string, memberId: string): Promise<GroupMember | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: groupId, sk: memberSk(memberId) }, ConsistentRead: true }));
      return out.Item === undefined || isDepartedItem(out.Item) ? undefined : itemToMember(out.Item);
    } catch (err) {
      throw toInfrastructureError(err, 'GetItem');
    }
  }

  /**
   * Writes a coordinator step atomically; `GroupConflict` when the group
   * changed since it was read. Offsets leaving member items are copied to
   * the topics' items; entries the topics' items already covered when read,
   * and departed members' items read, are removed (see group-items.ts).
   */
  async save(write: GroupWrite): Promise<void> {
    const copies: OffsetRecord[] = [];
    const dropped = new Set((write.deleteOffsets ?? []).map(tpKey));
    const written = new Set<string>();
    const items = [this.metaPut(write)];
    for (const m of write.putMembers) {
      items.push(this.memberWrite(write, m, copies, dropped));
      written.add(m.member.memberId);
    }
    for (const member of write.deleteMembers) {
      items.push(this.departure(write, member, copies, dropped));
      written.add(member.memberId);
    }
    items.push(...this.topicOffsetWrites(write, copies));
    items.push(...this.cleanups(write, written, dropped, DYNAMODB_TRANSACTION_ITEMS - items.length));
    await this.transact(items, write.groupId, () => new GroupConflict(write.groupId));
  }

  /**
   * Writes a member's offsets into its own item, one UpdateItem, if at that
   * moment it still has this epoch, a live session and every named partition.
   */
  async commitMemberOffsets(commit: MemberCommit): Promise<void> {
    if (commit.offsets.length === 0) return;
    const names: Record<string, string> = { '#owned': 'owned', '#offs': 'offsets' };
    const values: Record<string, unknown> = { ':e': commit.memberEpoch, ':now': commit.nowMs, ':one': 1 };
    const owns = commit.partitions.map((tp, i) => {
      values[`:tp${i}`] = tpKey(tp);
      return `contains(#owned, :tp${i})`;
    });
    const sets = commit.offsets.map((r, i) => {
      names[`#k${i}`] = tpKey(r);
      values[`:v${i}`] = offsetValue(r);
      return `#offs.#k${i} = :v${i}`;
    });
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: commit.groupId, sk: memberSk(commit.memberId) },
          UpdateExpression: `SET ${sets.join(', ')} ADD cc :one`,
          ConditionExpression: ['attribute_exists(#offs)', 'attribute_not_exists(departed)', '(memberEpoch = :e OR previousMemberEpoch = :e)', 'sessionExpiresAtMs > :now', 'attribute_not_exists(leftStatic)', ...owns].join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) throw new MemberCheckFailed(commit.memberId);
      throw toInfrastructureError(err, 'UpdateItem');
    }
  }

  /**
   * Writes a classic member's offsets if, at that moment, the group is still
   * at this generation and not completing a rebalance, and the member is in
   * it. Unlike a consumer member's commit, ownership is not checked: the
   * classic coordinator does not know the assignment. The offsets go to the
   * group's offsets items, one update per topic.
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
    const updates = [...byTopic(commit.offsets)].map(([topic, records]) => topicOffsetsUpdate(this.tableName, commit.groupId, topic, records));
    const items = [group, member, ...updates];
    await this.transact(items, commit.groupId, (index) => (index <= 1 ? new MemberCheckFailed(commit.memberId) : new GroupConflict(commit.groupId)));
  }

  /** Committed offsets of the given partitions (strongly consistent), by `topic#partition`. */
  async getOffsets(groupId: string, partitions: readonly TopicPartitionRef[]): Promise<Map<string, OffsetRecord>> {
    const wanted = new Set(partitions.map(tpKey));
    const all = await this.listOffsets(groupId, [...new Set(partitions.map((tp) => tp.topic))]);
    return new Map(all.filter((r) => wanted.has(tpKey(r))).map((r) => [tpKey(r), r]));
  }

  /** The group's committed offsets, of the named topics or all (one Query of the group's items). */
  async listOffsets(groupId: string, topics?: readonly string[]): Promise<OffsetRecord[]> {
    const loaded = await this.load(groupId);
    const all = latestOffsets(loaded?.stored);
    if (topics === undefined) return all;
    const named = new Set(topics);
    return all.filter((r) => named.has(r.topic));
  }

  /** Every group's meta (for listing groups and for expiry sweeps). */
  async listMetas(): Promise<GroupMeta[]> {
    const items = await allItems(
      scanItems(this.doc, { TableName: this.tableName, ConsistentRead: true, FilterExpression: 'sk = :meta', ExpressionAttributeValues: { ':meta': META_SK } }),
    );
    const metas = items.map((item) => itemToMeta(item));
    return metas.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  /** Removes every item of a group but its meta: offsets items and departed members' (after it was marked DEAD, with no members left). */
  async deleteAllOffsets(groupId: string): Promise<void> {
    const items = (await this.query(groupId)).filter((i) => String(i.sk).startsWith(OFFSETS_PREFIX) || (String(i.sk).startsWith(MEMBER_PREFIX) && isDepartedItem(i)));
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

  /**
   * A member put whole (new, or its liveness moved on) or updated without its
   * liveness (see GroupWrite). Of the offsets it holds of partitions it no
   * longer owns, those the topics' items covered when read are removed, the
   * others kept and added to `copies`.
   */
  private memberWrite(write: GroupWrite, { member, before }: MemberWrite, copies: OffsetRecord[], dropped: ReadonlySet<string>): Item {
    const stored = write.stored?.members[member.memberId] ?? NO_STORED_MEMBER;
    const owned = new Set(ownedBy(member).map(tpKey));
    const removable = new Set<OffsetRecord>();
    for (const r of stored.offsets) {
      const key = tpKey(r);
      if (dropped.has(key) || (!owned.has(key) && covered(write, r))) removable.add(r);
      else if (!owned.has(key)) copies.push(r);
    }
    const keep = stored.offsets.filter((r) => !removable.has(r));
    const item = memberToItem(write.groupId, member, write.meta.targetAssignment[member.memberId], stored.version + 1, { commits: stored.commits, offsets: keep });
    if (before === undefined) {
      // A new member; its id may be that of a departed member's item, which it replaces.
      if (stored.departed === true) {
        return { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_exists(departed) AND mv = :mv', ExpressionAttributeValues: { ':mv': stored.version } } };
      }
      return { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
    }
    if (before.lastHeartbeatMs !== member.lastHeartbeatMs || before.sessionTimeoutMs !== member.sessionTimeoutMs) {
      return {
        Put: {
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR (mv = :mv AND cc = :cc AND lastHeartbeatMs <= :hb)',
          ExpressionAttributeValues: { ':mv': stored.version, ':cc': stored.commits, ':hb': member.lastHeartbeatMs },
        },
      };
    }
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':mvRead': stored.version };
    const sets: string[] = [];
    const removes: string[] = [];
    Object.entries(item).forEach(([name, value], i) => {
      if (name === 'pk' || name === 'sk' || name === 'offsets' || name === 'cc' || LIVENESS_ATTRIBUTES.has(name)) return;
      names[`#a${i}`] = name;
      if (value === undefined) removes.push(`#a${i}`);
      else {
        values[`:a${i}`] = value;
        sets.push(`#a${i} = :a${i}`);
      }
    });
    let condition = 'mv = :mvRead';
    if (removable.size > 0) {
      names['#offs'] = 'offsets';
      [...removable].forEach((r, i) => {
        names[`#k${i}`] = tpKey(r);
        removes.push(`#offs.#k${i}`);
      });
      values[':ccRead'] = stored.commits;
      condition += ' AND cc = :ccRead';
    }
    return {
      Update: {
        TableName: this.tableName,
        Key: { pk: write.groupId, sk: memberSk(member.memberId) },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /**
   * A member removed, as read, only if it has not heartbeaten, changed or
   * committed since. Its item is deleted when the topics' items covered all
   * its offsets when read; otherwise it becomes a departed member's item
   * holding the rest, which are added to `copies`.
   */
  private departure(write: GroupWrite, member: GroupMember, copies: OffsetRecord[], dropped: ReadonlySet<string>): Item {
    const stored = write.stored?.members[member.memberId] ?? NO_STORED_MEMBER;
    const remaining = stored.offsets.filter((r) => !dropped.has(tpKey(r)) && !covered(write, r));
    const key = { pk: write.groupId, sk: memberSk(member.memberId) };
    const condition = {
      ConditionExpression: 'attribute_not_exists(pk) OR (lastHeartbeatMs = :hb AND mv = :mv AND cc = :cc)',
      ExpressionAttributeValues: { ':hb': member.lastHeartbeatMs, ':mv': stored.version, ':cc': stored.commits },
    };
    if (remaining.length === 0) return { Delete: { TableName: this.tableName, Key: key, ...condition } };
    copies.push(...remaining);
    const item = departedToItem(write.groupId, member.memberId, stored.version + 1, { commits: stored.commits, offsets: remaining }, sessionExpiresAtMs(member));
    return { Put: { TableName: this.tableName, Item: item, ...condition } };
  }

  /**
   * Member items read that the step does not write otherwise: entries of
   * offsets being deleted are removed from live members' items, and departed
   * members' items (whose offsets the transaction that made them copied) are
   * deleted, as many as fit in the transaction.
   */
  private cleanups(write: GroupWrite, written: ReadonlySet<string>, dropped: ReadonlySet<string>, room: number): Item[] {
    const out: Item[] = [];
    const departed: Item[] = [];
    for (const [memberId, stored] of Object.entries(write.stored?.members ?? {})) {
      if (written.has(memberId)) continue;
      const key = { pk: write.groupId, sk: memberSk(memberId) };
      if (stored.departed === true) {
        departed.push({ Delete: { TableName: this.tableName, Key: key, ConditionExpression: 'attribute_exists(departed) AND mv = :mv', ExpressionAttributeValues: { ':mv': stored.version } } });
        continue;
      }
      const gone = stored.offsets.filter((r) => dropped.has(tpKey(r)));
      if (gone.length === 0) continue;
      const names: Record<string, string> = { '#offs': 'offsets' };
      const removes = gone.map((r, i) => {
        names[`#k${i}`] = tpKey(r);
        return `#offs.#k${i}`;
      });
      out.push({
        Update: {
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `REMOVE ${removes.join(', ')}`,
          ConditionExpression: 'mv = :mv',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':mv': stored.version },
        },
      });
    }
    return [...out, ...departed.slice(0, Math.max(0, room - out.length))];
  }

  /**
   * The group's offsets items the step writes, one update per topic: offsets
   * copied from member items (each only if later than what the item held
   * when read), then the step's own offsets as given, then its deletions; each
   * conditional on the item being as read.
   */
  private topicOffsetWrites(write: GroupWrite, copies: readonly OffsetRecord[]): Item[] {
    const topics = new Map<string, { set: Map<number, OffsetRecord>; remove: Set<number> }>();
    const entry = (topic: string) => {
      let e = topics.get(topic);
      if (e === undefined) topics.set(topic, (e = { set: new Map(), remove: new Set() }));
      return e;
    };
    for (const r of copies) {
      const other = entry(r.topic).set.get(r.partition);
      if (!covered(write, r) && (other === undefined || atLeast(r, other))) entry(r.topic).set.set(r.partition, r);
    }
    // Written outside the members (resets, simple commits): at the group's epoch, which no member's is above.
    for (const r of write.offsets ?? []) entry(r.topic).set.set(r.partition, { ...r, epoch: r.epoch ?? write.meta.groupEpoch });
    for (const tp of write.deleteOffsets ?? []) {
      const e = entry(tp.topic);
      e.set.delete(tp.partition);
      e.remove.add(tp.partition);
    }
    return [...topics].map(([topic, { set, remove }]) => {
      const stored = write.stored?.topics[topic];
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':topic': topic, ':ov': (stored?.version ?? 0) + 1 };
      const sets = ['topic = :topic', 'ov = :ov'];
      for (const [partition, r] of set) {
        names[`#p${partition}`] = partitionAttribute(partition);
        values[`:p${partition}`] = offsetValue(r);
        sets.push(`#p${partition} = :p${partition}`);
      }
      const removes = [...remove].map((partition) => {
        names[`#p${partition}`] = partitionAttribute(partition);
        return `#p${partition}`;
      });
      const condition = stored === undefined ? { ConditionExpression: 'attribute_not_exists(pk)' } : { ConditionExpression: 'ov = :ovRead' };
      if (stored !== undefined) values[':ovRead'] = stored.version;
      return {
        Update: {
          TableName: this.tableName,
          Key: { pk: write.groupId, sk: offsetsSk(topic) },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ...condition,
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
        },
      };
    });
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

  private async query(groupId: string, condition?: string, values: Record<string, unknown> = {}): Promise<Item[]> {
    return allItems(
      queryItems(this.doc, {
        TableName: this.tableName,
        ConsistentRead: true,
        KeyConditionExpression: condition === undefined ? 'pk = :pk' : `pk = :pk AND ${condition}`,
        ExpressionAttributeValues: { ':pk': groupId, ...values },
      }),
    );
  }
}
