/**
 * InitProducerId: without a transactional id, a new idempotent producer id;
 * with one, the broker's initTransactions (a new epoch, which fences older
 * instances and ends what they left open). v3+ may name the producer id and
 * epoch the client had (KIP-360): the epoch is then bumped only if they
 * still own the id, else PRODUCER_FENCED (INVALID_PRODUCER_EPOCH before v4).
 */
import { KafkalessError, toErrorPayload } from '../../errors.js';
import type { InitProducerIdReply } from '../../protocol/log-replies.js';
import type { InitTransactionsReply } from '../../protocol/txn-replies.js';
import { API_KEYS, type InitProducerIdRequest } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { ownerOf, txnErrorCode } from '../transaction-calls.js';
import { codeOf } from '../wire-answers.js';

const FENCED_SINCE = 4;

export const initProducerId: ApiHandler<typeof API_KEYS.InitProducerId> = {
  apiKey: API_KEYS.InitProducerId,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const failed = (errorCode: number) => ({ throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1 });
    if (request.transactionalId === null) {
      try {
        const reply = await ctx.broker.call<InitProducerIdReply>('produce', { action: 'initProducerId' });
        return { throttleTimeMs: 0, errorCode: 0, producerId: reply.producerId, producerEpoch: reply.producerEpoch };
      } catch (err) {
        return failed(codeOf(toErrorPayload(err).code));
      }
    }
    try {
      const reply = await ctx.broker.call<InitTransactionsReply>('produce', {
        action: 'initTransactions',
        transactionalId: request.transactionalId,
        transactionTimeoutMs: request.transactionTimeoutMs,
        ...expectedProducer(request, ctx.version),
      });
      return { throttleTimeMs: 0, errorCode: 0, producerId: reply.producerId, producerEpoch: reply.producerEpoch };
    } catch (err) {
      return failed(txnErrorCode(err, ctx.version, FENCED_SINCE));
    }
  },
};

/** The producer the client had (v3+; -1 and -1 when it had none). */
function expectedProducer(request: InitProducerIdRequest, version: number): { expectedProducer?: { producerId: number; producerEpoch: number } } {
  if (version < 3 || (request.producerId === -1n && request.producerEpoch === -1)) return {};
  if (request.producerId < 0n || request.producerEpoch < 0) {
    throw new KafkalessError('InvalidRequest', `Producer id ${request.producerId} and epoch ${request.producerEpoch}: both are -1 (no producer yet) or neither is`);
  }
  const { producerId, producerEpoch } = ownerOf(request.transactionalId ?? '', request.producerId, request.producerEpoch);
  return { expectedProducer: { producerId, producerEpoch } };
}
