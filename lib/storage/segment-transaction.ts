/**
 * Maintenance's DynamoDB transactions: a failed condition is an outcome
 * (someone else changed the items meanwhile: skip and look again next run),
 * contention is retried with the one retry helper, anything else is an
 * infrastructure error.
 */
import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { retry } from '../retry.js';
import { failedConditions, toInfrastructureError } from './dynamodb-errors.js';
import { DYNAMODB_TRANSACTION_ITEMS } from '../limits.js';

export type TransactionItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];


export type TransactionOutcome = { readonly ok: true } | { readonly ok: false; readonly failedItems: readonly number[] };

export async function transact(doc: DynamoDBDocumentClient, items: readonly TransactionItem[], random: () => number = Math.random): Promise<TransactionOutcome> {
  if (items.length === 0) return { ok: true };
  if (items.length > DYNAMODB_TRANSACTION_ITEMS) throw new Error(`A transaction of ${items.length} items is over DynamoDB's limit of ${DYNAMODB_TRANSACTION_ITEMS}`);
  // One token for every attempt: a retry after a lost reply is answered as the first attempt was.
  const token = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return retry(
    async () => {
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: [...items], ClientRequestToken: token }));
        return { ok: true } as const;
      } catch (err) {
        const failed = failedConditions(err);
        if (failed !== undefined) return { ok: false, failedItems: failed.map((f) => f.index) } as const;
        throw toInfrastructureError(err, 'TransactWriteItems');
      }
    },
    { maxAttempts: 6, initialDelayMs: 20, maxDelayMs: 500, random },
  );
}
