/**
 * DescribeProducers: per partition, the producers Kafka would call active:
 * idempotent producers whose state has not expired
 * (producer.id.expiration.ms), and transactional producers whose open
 * transaction staged batches for the partition. Every partition is checked
 * to exist before anything is read.
 */
import { KafkalessError } from '../../errors.js';
import type { PartitionProducers, ProducerStateDescription } from '../../protocol/txn-admin-replies.js';
import type { DescribeProducersRequest } from '../../protocol/txn-admin-requests.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import type { StagedBatch } from '../../storage/txn-staged.js';
import type { TxnDeps } from './deps.js';

export async function describeProducers(deps: TxnDeps, request: DescribeProducersRequest): Promise<{ partitions: PartitionProducers[] }> {
  const asked: { topic: string; topicId: string; partition: number }[] = [];
  for (const { topic, partition } of request.partitions) {
    validateTopicName(topic);
    const record = await deps.topics.require(topic);
    if (partition >= record.partitions) {
      throw new KafkalessError('UnknownTopicOrPartition', `Topic '${topic}' has ${record.partitions} partition(s); partition ${partition} does not exist`, {
        context: { topic, partition },
      });
    }
    asked.push({ topic, topicId: record.topicId, partition });
  }
  const open = await openBatches(deps);
  const nowMs = deps.now();
  const partitions: PartitionProducers[] = [];
  for (const p of asked) {
    const idempotent = (await deps.listing.partitionProducers(p.topicId, p.partition))
      .filter((s) => s.expiresAtS * 1000 > nowMs)
      .map((s): ProducerStateDescription => ({
        producerId: s.producerId,
        producerEpoch: s.producerEpoch,
        lastSequence: s.lastSequence,
        lastTimestamp: s.batches.at(-1)?.appendTime ?? -1,
        currentTransactionStartOffset: -1,
      }));
    const transactional = open.filter((o) => o.batch.topicId === p.topicId && o.batch.partition === p.partition);
    partitions.push({ topic: p.topic, partition: p.partition, activeProducers: [...idempotent, ...summarize(transactional)].sort((a, b) => a.producerId - b.producerId) });
  }
  return { partitions };
}

interface OpenBatch {
  readonly transactionalId: string;
  readonly batch: StagedBatch;
}

/** The batches staged by every transaction open now. */
async function openBatches(deps: TxnDeps): Promise<OpenBatch[]> {
  const out: OpenBatch[] = [];
  for (const transactionalId of await deps.store.openTransactionalIds()) {
    const meta = await deps.store.getMeta(transactionalId);
    if (meta === undefined || meta.state === 'EMPTY') continue;
    for (const { staged } of await deps.store.staged(transactionalId, meta.txnSeq)) {
      if (staged.kind === 'batch' && staged.producerEpoch === meta.producerEpoch) out.push({ transactionalId, batch: staged });
    }
  }
  return out;
}

/** One producer state per transactional id: its last staged sequence and when it staged it. */
function summarize(batches: readonly OpenBatch[]): ProducerStateDescription[] {
  const byId = new Map<string, ProducerStateDescription>();
  for (const { transactionalId, batch } of batches) {
    const seen = byId.get(transactionalId);
    if (seen !== undefined && seen.lastSequence >= batch.lastSequence) continue;
    byId.set(transactionalId, {
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      lastSequence: batch.lastSequence,
      lastTimestamp: batch.stagedAtMs,
      currentTransactionStartOffset: -1,
      transactionalId,
    });
  }
  return [...byId.values()];
}
