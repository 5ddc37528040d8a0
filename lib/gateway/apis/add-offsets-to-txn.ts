/**
 * AddOffsetsToTxn: the transaction will commit offsets of this group, so it
 * is opened (Ongoing). The offsets themselves come with TxnOffsetCommit,
 * which checks the group.
 */
import { KafkalessError } from '../../errors.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { openTransaction, ownerOf, txnErrorCode } from '../transaction-calls.js';

const FENCED_SINCE = 2;

export const addOffsetsToTxn: ApiHandler<typeof API_KEYS.AddOffsetsToTxn> = {
  apiKey: API_KEYS.AddOffsetsToTxn,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    try {
      if (request.groupId === '') throw new KafkalessError('InvalidGroupId', 'The group id must not be empty');
      await openTransaction(ctx, ownerOf(request.transactionalId, request.producerId, request.producerEpoch));
      return { throttleTimeMs: 0, errorCode: 0 };
    } catch (err) {
      return { throttleTimeMs: 0, errorCode: txnErrorCode(err, ctx.version, FENCED_SINCE) };
    }
  },
};
