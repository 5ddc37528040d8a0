/**
 * Produce: each partition's records go to the broker as sent (one Kafka
 * RecordBatch v2), so the broker's own checks — CRC, max.message.bytes,
 * idempotence by the batch's producer id, epoch and sequence — apply as is.
 */
import { KafkalessError } from '../../errors.js';
import type { ProducedEntry, ProduceReply } from '../../protocol/log-replies.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { samePartition, settleChecked, type Settled } from '../settle-each.js';
import { byTopic, errorFields } from '../wire-answers.js';

interface Entry {
  readonly topic: string;
  readonly partition: number;
  readonly records: Buffer | null;
}

export const produce: ApiHandler<typeof API_KEYS.Produce> = {
  apiKey: API_KEYS.Produce,
  minVersion: 3,
  maxVersion: 11,
  async handle(request, ctx) {
    const entries: Entry[] = request.topicData.flatMap((t) => t.partitionData.map((p) => ({ topic: t.name, partition: p.index, records: p.records })));
    const settled = await settleChecked(entries, refusal(request.acks), samePartition, (batch) =>
      ctx.broker
        .call<ProduceReply>('produce', {
          action: 'produce',
          acks: request.acks,
          entries: batch.map((e) => ({ topic: e.topic, partition: e.partition, batch: e.records!.toString('base64') })),
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

function partitionAnswer(index: number, settled: Settled<ProducedEntry>, version: number) {
  const { errorCode, errorMessage } = errorFields(settled);
  const ok = settled.error === undefined;
  return {
    index,
    errorCode,
    baseOffset: ok ? settled.result.baseOffset : -1,
    logAppendTimeMs: ok ? settled.result.logAppendTime : -1,
    logStartOffset: ok ? settled.result.logStartOffset : -1,
    ...(version >= 8 ? { errorMessage } : {}),
  };
}
