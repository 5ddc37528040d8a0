/**
 * ListTransactions (v0-v1): the broker's listTransactions, filtered by
 * state and producer id; state names the broker does not know are listed
 * back as unknown (and match nothing). v1's duration filter keeps the
 * transactions open longer than it, by their start times
 * (describeTransactions).
 */
import type { TransactionDescription, TransactionListing } from '../../protocol/txn-admin-replies.js';
import { TRANSACTION_STATES, type TransactionStateName } from '../../protocol/txn-admin-requests.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiContext, ApiHandler } from '../api-handler.js';
import { asKafkalessError } from '../settle-each.js';
import { codeOf, safeNumber } from '../wire-answers.js';

/** DescribeTransactions takes at most this many ids per call. */
const DESCRIBE_CHUNK = 100;

const isState = (s: string): s is TransactionStateName => (TRANSACTION_STATES as readonly string[]).includes(s);

export const listTransactions: ApiHandler<typeof API_KEYS.ListTransactions> = {
  apiKey: API_KEYS.ListTransactions,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, ctx) {
    const unknownStateFilters = request.stateFilters.filter((s) => !isState(s));
    const states = request.stateFilters.filter(isState);
    const producerIds = request.producerIdFilters.map(safeNumber).filter((id): id is number => id !== undefined && id >= 0);
    const answer = (errorCode: number, listed: readonly TransactionListing[]) => ({
      throttleTimeMs: 0,
      errorCode,
      unknownStateFilters,
      transactionStates: listed.map((l) => ({ transactionalId: l.transactionalId, producerId: l.producerId, transactionState: l.state })),
    });
    const nothingMatches = (request.stateFilters.length > 0 && states.length === 0) || (request.producerIdFilters.length > 0 && producerIds.length === 0);
    if (nothingMatches) return answer(0, []);
    try {
      const { transactions } = await ctx.broker.call<{ transactions: TransactionListing[] }>('produce', {
        action: 'listTransactions',
        ...(states.length > 0 ? { states: [...new Set(states)] } : {}),
        ...(producerIds.length > 0 ? { producerIds: [...new Set(producerIds)] } : {}),
      });
      const duration = ctx.version >= 1 ? Number(request.durationFilter) : -1;
      return answer(0, duration < 0 ? transactions : await openLongerThan(ctx, transactions, duration));
    } catch (err) {
      return answer(codeOf(asKafkalessError(err).code), []);
    }
  },
};

/** The listed transactions that started more than `durationMs` ago and are still open. */
async function openLongerThan(ctx: ApiContext, listed: readonly TransactionListing[], durationMs: number): Promise<TransactionListing[]> {
  const nowMs = Date.now();
  const started = new Map<string, number>();
  const open = listed.filter((l) => l.state === 'Ongoing' || l.state === 'PrepareCommit' || l.state === 'PrepareAbort');
  for (let i = 0; i < open.length; i += DESCRIBE_CHUNK) {
    const ids = open.slice(i, i + DESCRIBE_CHUNK).map((l) => l.transactionalId);
    const { transactions } = await ctx.broker.call<{ transactions: TransactionDescription[] }>('produce', { action: 'describeTransactions', transactionalIds: ids });
    for (const d of transactions) started.set(d.transactionalId, d.transactionStartTimeMs);
  }
  return open.filter((l) => {
    const start = started.get(l.transactionalId) ?? -1;
    return start >= 0 && nowMs - start > durationMs;
  });
}
