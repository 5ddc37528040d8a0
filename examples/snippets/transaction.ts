import { Kafkaless } from 'kafkaless';

const kafkaless = new Kafkaless({ local: true });
const admin = kafkaless.admin();
const existing = await admin.listTopics();
const missing = ['invoices', 'ledger'].filter((topic) => !existing.includes(topic));
if (missing.length > 0) await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: 3 })) });

// An invoice and its ledger entry: both are in the log, or neither is.
const producer = kafkaless.producer({ 'transactional.id': 'billing-1' });
const txn = await producer.transaction();          // kafkajs style; initTransactions on first use
try {
  await txn.send({ topic: 'invoices', messages: [{ key: 'o-1', value: JSON.stringify({ order: 'o-1', total: 10 }) }] });
  await txn.send({ topic: 'ledger', messages: [{ key: 'customer-42', value: JSON.stringify({ order: 'o-1', debit: 10 }) }] });
  const offsets = await txn.commit();             // the offsets the records took
  for (const { topic, partition, baseOffset } of offsets) console.log(`committed: ${topic}/${partition} offset ${baseOffset}`);
} catch (err) {
  await txn.abort();
  throw err;
}
await producer.disconnect();
await kafkaless.close();
