/** /api/transactions: every transactional id with its state, producer and open transaction. */
import type { ConsoleContext } from '../context.js';
import type { Route } from '../router.js';

export function transactionRoutes({ kafkaless }: ConsoleContext): Route[] {
  const admin = kafkaless.admin();
  return [
    {
      method: 'GET',
      path: '/api/transactions',
      async handle() {
        const listed = await admin.listTransactions();
        const described = listed.length > 0 ? await admin.describeTransactions(listed.map((t) => t.transactionalId)) : [];
        return {
          transactions: described.sort((a, b) => (a.transactionalId < b.transactionalId ? -1 : a.transactionalId > b.transactionalId ? 1 : 0)),
        };
      },
    },
  ];
}
