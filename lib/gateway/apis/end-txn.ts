/**
 * EndTxn: commits or aborts the producer's current transaction (the
 * broker's endTransaction, which makes every record and offset of it
 * visible at once, or none). As Kafka: no transaction open is
 * INVALID_TXN_STATE, except the same end of the transaction that just
 * ended (a retry whose answer was lost), which succeeds again.
 */
import { KafkalessError } from '../../errors.js';
import type { EndTxnReply } from '../../protocol/txn-replies.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiContext, ApiHandler } from '../api-handler.js';
import { currentTransaction, ownerOf, requireNotTimedOut, txnErrorCode, type TxnOwner } from '../transaction-calls.js';

const FENCED_SINCE = 2;

export const endTxn: ApiHandler<typeof API_KEYS.EndTxn> = {
  apiKey: API_KEYS.EndTxn,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const answer = (errorCode: number) => ({ throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1 });
    try {
      await end(ctx, ownerOf(request.transactionalId, request.producerId, request.producerEpoch), request.committed);
      return answer(0);
    } catch (err) {
      return answer(txnErrorCode(err, ctx.version, FENCED_SINCE));
    }
  },
};

async function end(ctx: ApiContext, owner: TxnOwner, commit: boolean): Promise<void> {
  const current = await currentTransaction(ctx, owner);
  requireNotTimedOut(current, owner);
  if (current.state === 'EMPTY') {
    const outcome = commit ? 'COMMITTED' : 'ABORTED';
    if (current.lastSeq === current.txnSeq - 1 && current.lastOutcome === outcome) return;
    const last = current.lastOutcome === undefined ? '' : ` (the last one was ${current.lastOutcome.toLowerCase()})`;
    throw new KafkalessError('InvalidTxnState', `Transactional id '${owner.transactionalId}' has no transaction open to ${commit ? 'commit' : 'abort'}${last}`, {
      context: { transactionalId: owner.transactionalId },
    });
  }
  await ctx.broker.call<EndTxnReply>('produce', { action: 'endTransaction', transaction: { ...owner, txnSeq: current.txnSeq }, commit });
}
