/**
 * Produce: each partition's records go to the broker as sent (one Kafka
 * RecordBatch v2), so the broker's own checks — CRC, max.message.bytes,
 * idempotence by the batch's producer id, epoch and sequence — apply as is.
 * With a transactional id the batches are staged in the producer's current
 * transaction (invisible until EndTxn commits it; base offset -1).
 */
import { KafkalessError } from '../../errors.js';
import type { ProducedEntry, ProduceReply } from '../../protocol/log-replies.js';
import type { TransactionRef } from '../../protocol/txn-requests.js';
import { readBatchHeader } from '../../log/index.js';
import { API_KEYS, type ProduceRequest } from '../../wire/index.js';
import type { ApiContext, ApiHandler } from '../api-handler.js';
import { asKafkalessError, samePartition, settleChecked, type Settled } from '../settle-each.js';
import { ownerOf, txnErrorCode, workingTransaction } from '../transaction-calls.js';
import { byTopic } from '../wire-answers.js';

interface Entry {
  readonly topic: string;
  readonly partition: number;
  readonly records: Buffer | null;
}

/** A partition leader answers a fenced producer INVALID_PRODUCER_EPOCH at every version. */
const FENCED_SINCE = Number.POSITIVE_INFINITY;

export const produce: ApiHandler<typeof API_KEYS.Produce> = {
  apiKey: API_KEYS.Produce,
  minVersion: 3,
  maxVersion: 11,
  async handle(request, ctx) {
    const entries: Entry[] = request.topicData.flatMap((t) => t.partitionData.map((p) => ({ topic: t.name, partition: p.index, records: p.records })));
    const settled = await settleChecked(entries, refusal(request.acks), samePartition, async (batch) =>
      ctx.broker
        .call<ProduceReply>('produce', {
          action: 'produce',
          acks: request.acks,
          entries: batch.map((e) => ({ topic: e.topic, partition: e.partition, batch: e.records!.toString('base64') })),
          ...(request.transactionalId !== null ? { transaction: await transactionOf(ctx, request, batch) } : {}),
        })
        .then((reply) => reply.entries),
    );
    if (request.acks === 0) return undefined;
    const answers = entries.map((e, k) => ({ ...e, settled: settled[k]! }));
    return {
      throttleTimeMs: 0,
      responses: [...byTopic(answers)].map(([name, parts]) => ({
        name,
        partitionResponses: parts.map((p) => partitionAnswer(p.partition, p.settled, ctx.version)),
      })),
    };
  },
};

function refusal(acks: number): (e: Entry) => KafkalessError | undefined {
  return (e) => {
    if (acks !== 0 && acks !== 1 && acks !== -1) return new KafkalessError('InvalidRequiredAcks', `acks must be -1, 0 or 1 (got ${acks})`);
    if (e.partition < 0) return new KafkalessError('UnknownTopicOrPartition', `Partition ${e.partition} of '${e.topic}' does not exist.`);
    if (e.records === null || e.records.length === 0) return new KafkalessError('InvalidRecord', `No records for partition ${e.partition} of '${e.topic}'`);
    return undefined;
  };
}

/** The producer's open transaction, the producer named by the first batch (the broker checks every batch against it). */
async function transactionOf(ctx: ApiContext, request: ProduceRequest, batch: readonly Entry[]): Promise<TransactionRef> {
  const first = batch[0]!;
  const header = (() => {
    try {
      return readBatchHeader(first.records!);
    } catch (err) {
      throw new KafkalessError('CorruptRecord', asKafkalessError(err).message, { context: { topic: first.topic, partition: first.partition } });
    }
  })();
  const owner = ownerOf(request.transactionalId!, BigInt(header.producerId), header.producerEpoch);
  const { ref, current } = await workingTransaction(ctx, owner);
  // Kafka's producers (before KIP-890's Produce v12) add a partition before producing to it, which opens the
  // transaction; a Produce finding none open is a late retry of one that ended, and must not open the next.
  if (current.state === 'EMPTY') {
    throw new KafkalessError('InvalidTxnState', `Transactional id '${owner.transactionalId}' has no transaction open: add the partitions (AddPartitionsToTxn) before producing`, {
      context: { transactionalId: owner.transactionalId },
    });
  }
  return ref;
}

function partitionAnswer(index: number, settled: Settled<ProducedEntry>, version: number) {
  const ok = settled.error === undefined;
  return {
    index,
    errorCode: ok ? 0 : txnErrorCode(settled.error, version, FENCED_SINCE),
    baseOffset: ok ? settled.result.baseOffset : -1,
    logAppendTimeMs: ok ? settled.result.logAppendTime : -1,
    logStartOffset: ok ? settled.result.logStartOffset : -1,
    ...(version >= 8 ? { errorMessage: ok ? null : settled.error.message } : {}),
  };
}
