/**
 * One maintenance run: for each partition asked (all partitions of all
 * topics by default), under that partition's lease, the segment roller,
 * retention and log compaction, in that order; then the garbage collector.
 * Partitions run in parallel, at most `partitionConcurrency` at once; a
 * partition whose lease another worker holds is skipped, so overlapping
 * runs (a schedule tick while the last run still works, a CLI run) share
 * the work without two workers on one partition. A failure in one
 * partition is reported and does not stop the others.
 */
import { KafkalessError, toErrorPayload } from '../../errors.js';
import type { MaintenanceReply, MaintenanceTotals, PartitionMaintenance } from '../../protocol/maintenance-replies.js';
import { MAINTENANCE_STEPS, type MaintenanceRunRequest, type MaintenanceStep } from '../../protocol/maintenance-requests.js';
import { resolveTopicConfig } from '../../protocol/topic-config.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import { partitionLeaseName } from '../../storage/lease-store.js';
import type { TopicRecord } from '../../storage/topic-store.js';
import type { MaintenanceDeps } from './deps.js';
import { CollectorTally, collectGarbage } from './garbage-collector.js';
import { compactLog } from './log-compactor.js';
import { applyRetention } from './retention.js';
import { rollSegments } from './segment-roller.js';
import { RunRecorder, saveRunRecords, type PartitionStep } from './run-records.js';
import { mapLimit, PartitionTally, type PartitionWork } from './tally.js';

const PARTITION_STEPS: readonly [PartitionStep, (deps: MaintenanceDeps, work: PartitionWork) => Promise<void>][] = [
  ['segments', rollSegments],
  ['retention', applyRetention],
  ['compaction', compactLog],
];

export interface RunHooks {
  /** Called as each partition finishes (the CLI prints a line). */
  readonly onPartition?: (report: PartitionMaintenance) => void;
}

async function targets(deps: MaintenanceDeps, request: MaintenanceRunRequest): Promise<{ topic: TopicRecord; partition: number }[]> {
  if (request.topic === undefined) {
    if (request.partitions !== undefined) throw new KafkalessError('InvalidRequest', 'partitions needs a topic');
    return (await deps.topics.list()).flatMap((topic) => Array.from({ length: topic.partitions }, (_, partition) => ({ topic, partition })));
  }
  validateTopicName(request.topic);
  const topic = await deps.topics.require(request.topic);
  const partitions = request.partitions ?? Array.from({ length: topic.partitions }, (_, i) => i);
  for (const partition of partitions) {
    if (partition >= topic.partitions) {
      throw new KafkalessError('UnknownTopicOrPartition', `Topic '${topic.name}' has ${topic.partitions} partition(s); partition ${partition} does not exist.`, {
        context: { topic: topic.name, partition },
      });
    }
  }
  if (new Set(partitions).size !== partitions.length) throw new KafkalessError('InvalidRequest', 'A partition appears twice in the request');
  return partitions.map((partition) => ({ topic, partition }));
}

async function runPartition(deps: MaintenanceDeps, work: PartitionWork, steps: ReadonlySet<MaintenanceStep>, recorder: RunRecorder): Promise<void> {
  const lease = partitionLeaseName(work.topic.topicId, work.partition);
  if (!(await deps.leases.acquire(lease, work.owner, deps.now(), deps.options.leaseMs))) {
    work.tally.skipped = 'leased';
    recorder.partitionSkipped(PARTITION_STEPS.map(([step]) => step).filter((step) => steps.has(step)));
    return;
  }
  try {
    for (const [step, run] of PARTITION_STEPS) {
      if (!steps.has(step)) continue;
      const before = work.tally.toReport();
      try {
        await run(deps, work);
      } catch (err) {
        const error = toErrorPayload(err);
        work.tally.errors.push(error);
        recorder.partitionStep(step, before, work.tally.toReport(), error);
        deps.log('warn', 'maintenance step failed', { step, topic: work.topic.name, partition: work.partition, error: err instanceof Error ? err.message : String(err) });
        return;
      }
      recorder.partitionStep(step, before, work.tally.toReport());
      if (!(await deps.leases.renew(lease, work.owner, deps.now(), deps.options.leaseMs))) return;
    }
  } finally {
    await deps.leases.release(lease, work.owner);
  }
}

function totalsOf(partitions: readonly PartitionMaintenance[], collector: CollectorTally | undefined): MaintenanceTotals {
  const sum = (f: (p: PartitionMaintenance) => number): number => partitions.reduce((n, p) => n + f(p), 0);
  return {
    segmentsWritten: sum((p) => p.segmentsWritten),
    bytesReclaimed: sum((p) => p.bytesReclaimed),
    objectsDeleted: collector?.objectsDeleted ?? 0,
    recordsRemoved: sum((p) => p.offsetsExpired + p.recordsCompacted),
  };
}

/** A step over the whole stack; a failure is logged and retried by the next run. */
async function globalStep<T>(deps: MaintenanceDeps, step: MaintenanceStep, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    deps.log('warn', `maintenance ${step} failed`, { error: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
}

export async function runMaintenance(deps: MaintenanceDeps, request: MaintenanceRunRequest, hooks: RunHooks = {}): Promise<MaintenanceReply> {
  const startedMs = deps.now();
  const steps = new Set<MaintenanceStep>(request.steps ?? MAINTENANCE_STEPS);
  const owner = deps.newRunId();
  const recorder = new RunRecorder();
  const partitionSteps = PARTITION_STEPS.some(([step]) => steps.has(step));
  const asked = await targets(deps, request);
  const transactions = steps.has('transactions') ? await globalStep(deps, 'transactions', deps.recoverTransactions) : undefined;
  if (steps.has('transactions')) recorder.transactions(transactions);
  const work = (partitionSteps ? asked : []).map(
    ({ topic, partition }): PartitionWork => ({ topic, partition, config: resolveTopicConfig(topic.configs), owner, tally: new PartitionTally(topic.name, partition) }),
  );
  const partitions = await mapLimit(work, deps.options.partitionConcurrency, async (w) => {
    await runPartition(deps, w, steps, recorder);
    const report = w.tally.toReport();
    hooks.onPartition?.(report);
    return report;
  });
  let collector: CollectorTally | undefined;
  if (steps.has('gc')) {
    collector = new CollectorTally();
    try {
      await collectGarbage(deps, owner, collector);
    } catch (err) {
      collector.errors.push(toErrorPayload(err));
      deps.log('warn', 'garbage collection failed', { error: err instanceof Error ? err.message : String(err) });
    }
    recorder.collector(collector.toReport());
  }
  const groups = steps.has('groups') ? await globalStep(deps, 'groups', deps.expireMembers) : undefined;
  if (steps.has('groups')) recorder.groups(groups);
  const reply: MaintenanceReply = {
    runId: owner,
    startedAt: new Date(startedMs).toISOString(),
    durationMs: deps.now() - startedMs,
    partitions,
    ...(collector !== undefined ? { collector: collector.toReport() } : {}),
    ...(transactions !== undefined ? { transactions } : {}),
    ...(groups !== undefined ? { groups } : {}),
    totals: totalsOf(partitions, collector),
  };
  await saveRunRecords(deps, recorder.records(owner, startedMs, deps.now(), request));
  deps.log('info', 'maintenance run', { runId: owner, partitions: partitions.length, steps: [...steps], ...reply.totals, collector: reply.collector, transactions, groups });
  return reply;
}
