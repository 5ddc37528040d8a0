/**
 * A produce inside a transaction: validated exactly as any produce, its
 * batches are put in one ingest object per staging write and staged (not
 * appended). They take offsets only when the transaction commits, so the
 * reply's base offsets are -1; the commit's reply gives the offsets.
 */
import { KafkalessError } from '../../errors.js';
import type { ProducedEntry, ProduceReply } from '../../protocol/log-replies.js';
import type { ProduceRequest } from '../../protocol/log-requests.js';
import type { TransactionRef } from '../../protocol/txn-requests.js';
import type { StagedBatch } from '../../storage/txn-staged.js';
import { batchLocation, prepareEntries, type PreparedEntry } from '../produce/prepare.js';
import type { TxnDeps } from './deps.js';
import { MAX_STAGED_PER_WRITE } from '../../limits.js';
import { stage } from './stage.js';

export async function stageBatches(deps: TxnDeps, request: ProduceRequest, ref: TransactionRef): Promise<ProduceReply> {
  const prepared = await prepareEntries(request, deps.topics, deps.now());
  prepared.forEach((e) => checkTransactional(e, ref));
  const entries: ProducedEntry[] = new Array(prepared.length);
  for (let i = 0; i < prepared.length; i += MAX_STAGED_PER_WRITE) {
    const chunk = prepared.slice(i, i + MAX_STAGED_PER_WRITE);
    await stageChunk(deps, ref, chunk);
    for (const e of chunk) {
      entries[e.index] = { topic: e.topic.name, partition: e.partition, baseOffset: -1, logAppendTime: e.logAppendTime, logStartOffset: -1 };
    }
  }
  return { entries };
}

function checkTransactional(e: PreparedEntry, ref: TransactionRef): void {
  const h = e.batch.header;
  const context = { topic: e.topic.name, partition: e.partition };
  if (h.producerId !== ref.producerId || h.producerEpoch !== ref.producerEpoch) {
    throw new KafkalessError(
      'InvalidRequest',
      `The batch's producer ${h.producerId} (epoch ${h.producerEpoch}) is not the transaction's (${ref.producerId}, epoch ${ref.producerEpoch})`,
      { context },
    );
  }
  if (h.baseSequence < 0) throw new KafkalessError('InvalidRecord', 'A transactional batch needs a base sequence (≥ 0)', { context });
}

async function stageChunk(deps: TxnDeps, ref: TransactionRef, chunk: readonly PreparedEntry[]): Promise<void> {
  const objectKey = deps.ingestKey(deps.now());
  let position = 0;
  const items: StagedBatch[] = chunk.map((e) => {
    const h = e.batch.header;
    const staged: StagedBatch = {
      kind: 'batch',
      txnSeq: ref.txnSeq,
      topic: e.topic.name,
      topicId: e.topic.topicId,
      partition: e.partition,
      baseSequence: h.baseSequence,
      lastSequence: e.lastSequence,
      offsetCount: e.batch.offsetCount,
      ...batchLocation(e, objectKey, position),
      stagedAtMs: 0,
    };
    position += e.batch.bytes.length;
    return staged;
  });
  await deps.objects.put(objectKey, Buffer.concat(chunk.map((e) => e.batch.bytes), position));
  await deps.faults.at('produce.afterUpload', { objectKey });
  await stage(deps, { ref, items, objectKey });
  await deps.faults.at('txn.afterStage', { transactionalId: ref.transactionalId });
}
