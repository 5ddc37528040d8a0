/**
 * What maintenance uses: the stores, the clock (injected, so tests move
 * time instead of sleeping), fault points, and its tunables.
 */
import { monotonicFactory } from 'ulid';
import type { FaultInjector } from '../../faults.js';
import { BatchIndex } from '../../storage/batch-index.js';
import { LeaseStore } from '../../storage/lease-store.js';
import { MaintenanceRuns } from '../../storage/maintenance-runs.js';
import { ObjectStore } from '../../storage/object-store.js';
import { PartitionHeads } from '../../storage/partition-heads.js';
import { CleanerCheckpoints } from '../../storage/segment-checkpoint.js';
import { SegmentItems } from '../../storage/segment-items.js';
import { ObjectRegistry } from '../../storage/object-registry.js';
import { TopicStore } from '../../storage/topic-store.js';
import type { BrokerContext } from '../context.js';
import type { Logger } from '../dispatch.js';

export interface MaintenanceOptions {
  /** How long an object stays after its last reference went (in-flight reads finish first). @default 1 hour */
  readonly gracePeriodMs: number;
  /** How long a partition lease lasts before another worker may take it over. @default 6 minutes */
  readonly leaseMs: number;
  /** Partitions worked on at once by one run. @default 4 */
  readonly partitionConcurrency: number;
  /**
   * Largest segment object written, whatever segment.bytes says: a segment
   * is built in memory, so a Kafka segment larger than this becomes several
   * objects. @default 128 MiB
   */
  readonly maxSegmentObjectBytes: number;
  /** Bytes one run rolls or cleans per partition, to finish within the function's timeout. @default 512 MiB */
  readonly maxBytesPerPartitionRun: number;
  /** Ranged GETs in flight while reading ingest batches. @default 16 */
  readonly readConcurrency: number;
}

export const DEFAULT_MAINTENANCE_OPTIONS: MaintenanceOptions = Object.freeze({
  gracePeriodMs: 60 * 60 * 1000,
  leaseMs: 6 * 60 * 1000,
  partitionConcurrency: 4,
  maxSegmentObjectBytes: 128 * 1024 * 1024,
  maxBytesPerPartitionRun: 512 * 1024 * 1024,
  readConcurrency: 16,
});

import { createGroupDeps } from '../groups/deps.js';
import { expireMembers, type ExpirySummary } from '../groups/expire-members.js';
import { createTxnDeps } from '../transactions/deps.js';
import { recoverTransactions, type RecoverySummary } from '../transactions/recover.js';

export interface MaintenanceDeps {
  readonly topics: TopicStore;
  readonly heads: PartitionHeads;
  readonly index: BatchIndex;
  readonly items: SegmentItems;
  readonly registry: ObjectRegistry;
  readonly leases: LeaseStore;
  readonly checkpoints: CleanerCheckpoints;
  /** The last run of each step, written as a run ends. */
  readonly runs: MaintenanceRuns;
  readonly objects: ObjectStore;
  readonly now: () => number;
  readonly random: () => number;
  readonly faults: FaultInjector;
  readonly options: MaintenanceOptions;
  /** A fresh id per run (lease and reservation owner). */
  readonly newRunId: () => string;
  readonly log: Logger;
  /** Recovers abandoned and half-committed transactions. */
  readonly recoverTransactions: () => Promise<RecoverySummary>;
  /** Expires group members past their session timeout. */
  readonly expireMembers: () => Promise<ExpirySummary>;
}

export function createMaintenanceDeps(ctx: BrokerContext, log: Logger, options: Partial<MaintenanceOptions> = {}): MaintenanceDeps {
  const ulid = monotonicFactory(ctx.random);
  return {
    topics: new TopicStore(ctx.dynamodb, ctx.tables.topics),
    heads: new PartitionHeads(ctx.dynamodb, ctx.tables.partitions),
    index: new BatchIndex(ctx.dynamodb, ctx.tables.batches),
    items: new SegmentItems(ctx.dynamodb, { batches: ctx.tables.batches, partitions: ctx.tables.partitions }, ctx.random),
    registry: new ObjectRegistry(ctx.dynamodb, ctx.tables.objects),
    leases: new LeaseStore(ctx.dynamodb, ctx.tables.partitions),
    checkpoints: new CleanerCheckpoints(ctx.dynamodb, ctx.tables.partitions),
    runs: new MaintenanceRuns(ctx.dynamodb, ctx.tables.partitions),
    objects: new ObjectStore(ctx.s3, ctx.bucket),
    now: ctx.now,
    random: ctx.random,
    faults: ctx.faults,
    options: { ...DEFAULT_MAINTENANCE_OPTIONS, ...options },
    newRunId: () => `run-${ulid(ctx.now())}`,
    log,
    recoverTransactions: () => recoverTransactions(createTxnDeps(ctx), ctx.now()),
    expireMembers: () => expireMembers(createGroupDeps(ctx)),
  };
}
