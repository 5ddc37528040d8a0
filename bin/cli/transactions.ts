/** `kafkaless transactions list|describe|describe-producers`, as Kafka's kafka-transactions script. */
import type { Command } from 'commander';
import { TRANSACTION_STATES, type TransactionStateName } from '../../lib/protocol/txn-admin-requests.js';
import { CliUsageError, withAdmin, type ConnectOptions } from './connect.js';
import { collect } from './group-options.js';
import { createOutput, formatTableWithHeaders } from './output.js';

interface GlobalOptions extends ConnectOptions {
  readonly json?: boolean;
}

/** Transactions are coordinated in DynamoDB: the coordinator column names broker 0, as for groups. */
const COORDINATOR_ID = 0;

function parseStates(values: readonly string[] = []): TransactionStateName[] {
  return values.map((v) => {
    const state = TRANSACTION_STATES.find((s) => s.toLowerCase() === v.toLowerCase());
    if (state === undefined) throw new CliUsageError(`--state takes one of ${TRANSACTION_STATES.join(', ')}, got '${v}'`);
    return state;
  });
}

function parseIds(values: readonly string[] = []): number[] {
  return values.map((v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new CliUsageError(`--producer-id takes a producer id (a whole number), got '${v}'`);
    return n;
  });
}

export function registerTransactions(program: Command): void {
  const transactions = program.command('transactions').description("list and describe transactions and a partition's active producers");
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  transactions
    .command('list')
    .description('every transactional id with its producer id and state')
    .option('--state <state>', `only transactions in this state: ${TRANSACTION_STATES.join(', ')} (repeatable)`, collect)
    .option('--producer-id <id>', 'only transactions of this producer id (repeatable)', collect)
    .action(async (opts: { state?: string[]; producerId?: string[] }) => {
      const out = createOutput(globals().json === true);
      const listed = await withAdmin(globals(), (admin) => admin.listTransactions({ states: parseStates(opts.state), producerIds: parseIds(opts.producerId) }));
      out.result(listed, () =>
        formatTableWithHeaders(
          listed.map((t) => ({ TransactionalId: t.transactionalId, Coordinator: COORDINATOR_ID, ProducerId: t.producerId, TransactionState: t.state })),
          ['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'],
        ),
      );
    });

  transactions
    .command('describe')
    .description("a transactional id's current transaction: state, producer, timeout, start time, partitions")
    .requiredOption('--transactional-id <id>', 'the transactional id')
    .action(async (opts: { transactionalId: string }) => {
      const out = createOutput(globals().json === true);
      const [t] = await withAdmin(globals(), (admin) => admin.describeTransactions([opts.transactionalId]));
      const nowMs = Date.now();
      out.result(t, () =>
        formatTableWithHeaders([
          {
            CoordinatorId: COORDINATOR_ID,
            TransactionalId: t!.transactionalId,
            ProducerId: t!.producerId,
            ProducerEpoch: t!.producerEpoch,
            TransactionState: t!.state,
            TransactionTimeoutMs: t!.transactionTimeoutMs,
            CurrentTransactionStartTimeMs: t!.transactionStartTimeMs < 0 ? 'None' : t!.transactionStartTimeMs,
            TransactionDurationMs: t!.transactionStartTimeMs < 0 ? 'None' : nowMs - t!.transactionStartTimeMs,
            TopicPartitions: t!.topicPartitions.map((tp) => `${tp.topic}-${tp.partition}`).join(','),
          },
        ]),
      );
    });

  transactions
    .command('describe-producers')
    .description("a partition's active producers: producer id, epoch, last sequence, last timestamp")
    .requiredOption('--topic <topic>', 'the topic')
    .requiredOption('--partition <n>', 'the partition')
    .action(async (opts: { topic: string; partition: string }) => {
      const partition = Number(opts.partition);
      if (opts.partition.trim() === '' || !Number.isInteger(partition) || partition < 0) throw new CliUsageError(`--partition takes a partition number, got '${opts.partition}'`);
      const out = createOutput(globals().json === true);
      const [p] = await withAdmin(globals(), (admin) => admin.describeProducers([{ topic: opts.topic, partition }]));
      out.result(p, () =>
        formatTableWithHeaders(
          p!.activeProducers.map((s) => ({
            ProducerId: s.producerId,
            ProducerEpoch: s.producerEpoch,
            LatestCoordinatorEpoch: -1,
            LastSequence: s.lastSequence,
            LastTimestamp: s.lastTimestamp,
            CurrentTransactionStartOffset: s.currentTransactionStartOffset < 0 ? 'None' : s.currentTransactionStartOffset,
          })),
          ['ProducerId', 'ProducerEpoch', 'LatestCoordinatorEpoch', 'LastSequence', 'LastTimestamp', 'CurrentTransactionStartOffset'],
        ),
      );
    });
}
