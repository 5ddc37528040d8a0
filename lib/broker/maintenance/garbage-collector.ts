/**
 * The garbage collector. It deletes an S3 object only when the registry
 * proves nothing points at it (no dangling references):
 *
 *  1. Unreferenced objects. A candidate has refs = 0 since at least the
 *     grace period (releasedAt, or createdAt for a segment reservation never
 *     swapped in). It is marked state = 'deleting' under exactly that
 *     condition, then deleted from S3 (a segment with its .index and
 *     .timeindex), then its registry item is removed. refs counts the index
 *     items pointing at the object, moved in the same transaction as every
 *     item change; the only transactions that raise refs of an existing
 *     object (segment and cleaned-segment swaps) require state <> 'deleting'.
 *     So from the mark on, no index item points at the object or ever will,
 *     and the grace period lets reads that found an older index item finish.
 *     A crash between the steps leaves state = 'deleting', which the next
 *     run completes.
 *  2. Orphan ingest objects: listed under `ingest/`, no registry item, and
 *     created more than the grace period ago, by the time in the key's ULID
 *     (the writer's clock when it made the key; S3's LastModified for a key
 *     without one). A produce commits the key it created within one
 *     invocation (its retries reuse the key, never a later invocation), and
 *     the grace period is longer than any invocation, so such an object's
 *     commit should never happen any more; to be sure, the collector first
 *     puts its registry item as 'deleting' (only if there is none), and
 *     every commit or staging that registers an object requires it not to
 *     be 'deleting' — a request that outlived the grace period fails
 *     (retriable) instead of pointing at a deleted object. Then the object
 *     goes; the item stays as a tombstone for a day (ORPHAN_TOMBSTONE_MS,
 *     then rule 1 forgets it and DynamoDB's TTL would too).
 *  3. Deleted topics (their tombstones): every index item is removed with
 *     its references released (the objects then go by rule 1), the head,
 *     lease and cleaner checkpoint are deleted, segment files that no
 *     registry item accounts for are swept, and the tombstone is forgotten.
 *     Producer states of the topic expire by their TTL.
 */
import { decodeTime } from 'ulid';
import { INGEST_PREFIX } from '../produce/ingest-key.js';
import { InfrastructureError, toErrorPayload, type ErrorPayload } from '../../errors.js';
import type { CollectorReport } from '../../protocol/maintenance-replies.js';
import { COLLECTOR_LEASE, partitionLeaseName } from '../../storage/lease-store.js';
import { cleanerCheckpointKey } from '../../storage/segment-checkpoint.js';
import { logKeyOf, objectsOfRegistryKey, topicSegmentPrefix } from '../../storage/segment-keys.js';
import type { RegistryItem } from '../../storage/object-registry.js';
import type { DeletedTopicRecord } from '../../storage/topic-store.js';
import { partitionKey } from '../../names.js';
import type { MaintenanceDeps } from './deps.js';
import { removeItems } from './retention.js';
import { listItems } from './tally.js';

/** Per-item failures a run reports (the rest are only skipped). */
const REPORTED_ITEM_ERRORS = 5;

/** Registry items handled per S3 DeleteObjects call (three keys per segment). */
const DELETE_PAGE = 300;
/** Keys looked up in the registry at once. */
const ORPHAN_PAGE = 100;

export class CollectorTally {
  objectsDeleted = 0;
  orphansDeleted = 0;
  topicsRemoved = 0;
  indexItemsRemoved = 0;
  skipped: 'leased' | undefined;
  readonly errors: ErrorPayload[] = [];

  toReport(): CollectorReport {
    return {
      objectsDeleted: this.objectsDeleted,
      orphansDeleted: this.orphansDeleted,
      topicsRemoved: this.topicsRemoved,
      indexItemsRemoved: this.indexItemsRemoved,
      ...(this.skipped !== undefined ? { skipped: this.skipped } : {}),
      ...(this.errors.length > 0 ? { errors: [...this.errors] } : {}),
    };
  }
}

export async function collectGarbage(deps: MaintenanceDeps, owner: string, tally: CollectorTally): Promise<void> {
  if (!(await deps.leases.acquire(COLLECTOR_LEASE, owner, deps.now(), deps.options.leaseMs))) {
    tally.skipped = 'leased';
    return;
  }
  try {
    await removeDeletedTopics(deps, owner, tally);
    await deleteUnreferenced(deps, tally);
    await deleteOrphanIngest(deps, tally);
  } finally {
    await deps.leases.release(COLLECTOR_LEASE, owner);
  }
}

/**
 * One registry write for one object. A retriable failure (a throttle, a
 * conflict with a transaction on that item) skips the object until the next
 * run instead of ending this one: each step is safe to leave half done, and
 * under a steady error rate a run of hundreds of writes would otherwise
 * never reach its deletes. The first few failures are reported.
 */
async function perItem(tally: CollectorTally, write: () => Promise<boolean | void>): Promise<boolean> {
  try {
    return (await write()) !== false;
  } catch (err) {
    if (!(err instanceof InfrastructureError) || !err.retriable) throw err;
    if (tally.errors.length < REPORTED_ITEM_ERRORS) tally.errors.push(toErrorPayload(err));
    return false;
  }
}

export function cutoffMs(deps: MaintenanceDeps): number {
  return deps.now() - deps.options.gracePeriodMs;
}

function isDue(item: RegistryItem, cutoff: number): boolean {
  return item.state === 'deleting' || (item.refs <= 0 && (item.releasedAt ?? item.createdAt) <= cutoff);
}

/** A registry item with no reference (or already being deleted), and whether the collector deletes it when it next gets there. */
export interface UnreferencedObject {
  readonly item: RegistryItem;
  readonly due: boolean;
}

/** The collector's candidates under rule 1, as it sees them: every item with no reference, due or not yet. */
export async function* unreferencedObjects(deps: MaintenanceDeps, cutoff = cutoffMs(deps)): AsyncGenerator<UnreferencedObject> {
  for await (const item of deps.registry.unreferenced()) {
    // An orphan's tombstone waits out its day (its object went when it was marked; after a crash, it goes then).
    yield { item, due: isDue(item, cutoff) && (item.keepUntilMs ?? 0) <= deps.now() };
  }
}

/** Rule 1: objects whose last reference went more than the grace period ago. */
export async function deleteUnreferenced(deps: MaintenanceDeps, tally: CollectorTally): Promise<void> {
  const cutoff = cutoffMs(deps);
  let page: RegistryItem[] = [];
  const flush = async (): Promise<void> => {
    const marked: string[] = [];
    for (const item of page) {
      if (item.state === 'deleting' || (await perItem(tally, () => deps.registry.markDeleting(item.key, cutoff)))) marked.push(item.key);
    }
    page = [];
    if (marked.length === 0) return;
    await deps.faults.at('maintenance.midStep', { step: 'gc', marked: marked.length });
    const keys = marked.flatMap(objectsOfRegistryKey);
    await deps.objects.deleteMany(keys);
    for (const key of marked) await perItem(tally, () => deps.registry.forget(key));
    tally.objectsDeleted += keys.length;
  };
  for await (const { item, due } of unreferencedObjects(deps, cutoff)) {
    if (!due) continue;
    page.push(item);
    if (page.length >= DELETE_PAGE) await flush();
  }
  await flush();
}

/** When an ingest key was made, by the ULID in its name; undefined for a foreign key. */
function ingestKeyTimeMs(key: string): number | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  try {
    return decodeTime(name);
  } catch {
    return undefined;
  }
}

/** An ingest object with no registry item: no commit registered it (yet, or ever). */
export interface UnregisteredObject {
  readonly key: string;
  readonly sizeBytes: number;
  /** When its key was made (the ULID's time; S3's LastModified for a foreign key). */
  readonly madeMs: number;
}

/**
 * The collector's candidates under rule 2, page by page: ingest objects made
 * at or before `madeBefore` that have no registry item when looked up.
 */
export async function* unregisteredIngest(deps: MaintenanceDeps, madeBefore: number): AsyncGenerator<UnregisteredObject[]> {
  let page: UnregisteredObject[] = [];
  const lookUp = async (): Promise<UnregisteredObject[]> => {
    const known = await deps.registry.existing(page.map((o) => o.key));
    const unknown = page.filter((o) => !known.has(o.key));
    page = [];
    return unknown;
  };
  for await (const object of deps.objects.list(INGEST_PREFIX)) {
    const madeMs = ingestKeyTimeMs(object.key) ?? object.lastModifiedMs;
    if (madeMs > madeBefore) continue;
    page.push({ key: object.key, sizeBytes: object.sizeBytes, madeMs });
    if (page.length >= ORPHAN_PAGE) yield await lookUp();
  }
  if (page.length > 0) yield await lookUp();
}

/** Rule 2: ingest objects no commit referenced, older than the grace period. */
export async function deleteOrphanIngest(deps: MaintenanceDeps, tally: CollectorTally): Promise<void> {
  for await (const page of unregisteredIngest(deps, cutoffMs(deps))) {
    const orphans: string[] = [];
    for (const { key } of page) if (await perItem(tally, () => deps.registry.markOrphan(key, deps.now()))) orphans.push(key);
    if (orphans.length === 0) continue;
    await deps.faults.at('maintenance.midStep', { step: 'gc', orphans: orphans.length });
    // The tombstones stay (ORPHAN_TOMBSTONE_MS): a commit that comes even later must still be refused.
    await deps.objects.deleteMany(orphans);
    tally.objectsDeleted += orphans.length;
    tally.orphansDeleted += orphans.length;
  }
}

/** Rule 3: the data of deleted topics. */
export async function removeDeletedTopics(deps: MaintenanceDeps, owner: string, tally: CollectorTally): Promise<void> {
  for (const topic of await deps.topics.listDeleted()) {
    let complete = true;
    for (let partition = 0; partition < topic.partitions; partition++) {
      complete = (await removePartition(deps, owner, topic, partition, tally)) && complete;
    }
    await deps.faults.at('maintenance.midStep', { step: 'gc', topicId: topic.topicId });
    if (!complete) continue;
    await sweepSegmentFiles(deps, topic.topicId, tally);
    await deps.topics.forgetDeleted(topic.topicId);
    tally.topicsRemoved++;
  }
}

async function removePartition(deps: MaintenanceDeps, owner: string, topic: DeletedTopicRecord, partition: number, tally: CollectorTally): Promise<boolean> {
  const lease = partitionLeaseName(topic.topicId, partition);
  if (!(await deps.leases.acquire(lease, owner, deps.now(), deps.options.leaseMs))) return false;
  try {
    const items = await listItems(deps, topic.topicId, partition);
    const removed = await removeItems(deps, topic.topicId, partition, items, false);
    tally.indexItemsRemoved += removed.items;
    if (removed.items < items.length) return false;
    await deps.items.deletePartitionItem(partitionKey(topic.topicId, partition));
    await deps.items.deletePartitionItem(cleanerCheckpointKey(topic.topicId, partition));
    return true;
  } finally {
    await deps.leases.release(lease, owner);
  }
}

/** Segment files of a removed topic that no registry item accounts for (older than the grace period). */
async function sweepSegmentFiles(deps: MaintenanceDeps, topicId: string, tally: CollectorTally): Promise<void> {
  const cutoff = cutoffMs(deps);
  const byLogKey = new Map<string, string[]>();
  for await (const object of deps.objects.list(topicSegmentPrefix(topicId))) {
    const logKey = logKeyOf(object.key);
    if (logKey === undefined || object.lastModifiedMs > cutoff) continue;
    byLogKey.set(logKey, [...(byLogKey.get(logKey) ?? []), object.key]);
  }
  const logKeys = [...byLogKey.keys()];
  const known = await deps.registry.existing(logKeys);
  const stray = logKeys.filter((k) => !known.has(k)).flatMap((k) => byLogKey.get(k)!);
  if (stray.length === 0) return;
  await deps.objects.deleteMany(stray);
  tally.objectsDeleted += stray.length;
}
