/**
 * The broker actions a Kafka-wire caller needs: currentTransaction (read
 * only: which transaction a producer works in, with the owner check),
 * beginTransaction (opens one with nothing staged), and initTransactions'
 * expectedProducer (KIP-360: bump only while the caller still owns the id).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../lib/client/transport.js';
import type { CurrentTransactionReply, InitTransactionsReply } from '../../lib/protocol/txn-replies.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { scanTable } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

const produce = <T>(request: object) => call<T>(t.kafkaless.transport, 'produce', request);
const init = (transactionalId: string, extra: object = {}) => produce<InitTransactionsReply>({ action: 'initTransactions', transactionalId, ...extra });
const current = (transactionalId: string, producerId: number, producerEpoch: number) =>
  produce<CurrentTransactionReply>({ action: 'currentTransaction', transactionalId, producerId, producerEpoch });
const producersTable = () => scanTable(t, t.tables.producers);

describe('currentTransaction and beginTransaction', () => {
  it('reads the current transaction without changing anything; begin opens it; the end moves to the next', async () => {
    const p = await init('cur-1');
    const before = await producersTable();
    expect(await current('cur-1', p.producerId, p.producerEpoch)).toEqual({ producerId: p.producerId, producerEpoch: p.producerEpoch, state: 'EMPTY', txnSeq: p.txnSeq });
    expect(await producersTable()).toEqual(before);
    const ref = { transactionalId: 'cur-1', producerId: p.producerId, producerEpoch: p.producerEpoch, txnSeq: p.txnSeq };
    await produce({ action: 'beginTransaction', transaction: ref });
    await produce({ action: 'beginTransaction', transaction: ref });
    expect(await current('cur-1', p.producerId, p.producerEpoch)).toMatchObject({ state: 'ONGOING', txnSeq: p.txnSeq });
    await produce({ action: 'endTransaction', transaction: ref, commit: true });
    expect(await current('cur-1', p.producerId, p.producerEpoch)).toMatchObject({ state: 'EMPTY', txnSeq: p.txnSeq + 1, lastSeq: p.txnSeq, lastOutcome: 'COMMITTED' });
    await expect(produce({ action: 'beginTransaction', transaction: ref })).rejects.toMatchObject({ code: 'InvalidTxnState' });
  });

  it('answers a fenced producer ProducerFenced, an epoch ahead InvalidProducerEpoch, an unknown id InvalidProducerIdMapping', async () => {
    const old = await init('cur-2');
    const now = await init('cur-2');
    await expect(current('cur-2', old.producerId, old.producerEpoch)).rejects.toMatchObject({ code: 'ProducerFenced' });
    await expect(current('cur-2', now.producerId + 1, now.producerEpoch)).rejects.toMatchObject({ code: 'ProducerFenced' });
    await expect(current('cur-2', now.producerId, now.producerEpoch + 1)).rejects.toMatchObject({ code: 'InvalidProducerEpoch' });
    await expect(current('cur-none', 1, 0)).rejects.toMatchObject({ code: 'InvalidProducerIdMapping' });
    const ref = { transactionalId: 'cur-2', producerId: old.producerId, producerEpoch: old.producerEpoch, txnSeq: now.txnSeq };
    await expect(produce({ action: 'beginTransaction', transaction: ref })).rejects.toMatchObject({ code: 'ProducerFenced' });
  });

  it('bumps the epoch for the expected producer only; a stale one is ProducerFenced and changes nothing; a new transactional id is created whatever producer is named', async () => {
    const first = await init('cur-3');
    const second = await init('cur-3', { expectedProducer: { producerId: first.producerId, producerEpoch: first.producerEpoch } });
    expect(second).toMatchObject({ producerId: first.producerId, producerEpoch: first.producerEpoch + 1 });
    const before = await producersTable();
    await expect(init('cur-3', { expectedProducer: { producerId: first.producerId, producerEpoch: first.producerEpoch } })).rejects.toMatchObject({ code: 'ProducerFenced' });
    expect(await producersTable()).toEqual(before);
    // As Kafka: nobody owns a transactional id never initialized, so any named producer gets it (a new id, epoch 0).
    const created = await init('cur-never', { expectedProducer: { producerId: 0, producerEpoch: 0 } });
    expect(created).toMatchObject({ producerEpoch: 0, txnSeq: 0 });
    expect(created.producerId).not.toBe(first.producerId);
    await expect(init('cur-never', { expectedProducer: { producerId: created.producerId + 1, producerEpoch: 0 } })).rejects.toMatchObject({ code: 'ProducerFenced' });
  });
});
