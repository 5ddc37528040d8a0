// Transaction administration against the running local stack (`npm start`).
import { Kafkaless } from 'kafkaless';

const kafkaless = new Kafkaless({ local: true });
const admin = kafkaless.admin();

const topic = `ledger-${Date.now()}`;
const transactionalId = `ledger-writer-${Date.now()}`;
await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
const producer = kafkaless.producer({ 'transactional.id': transactionalId });
const txn = await producer.transaction();
await txn.send({ topic, messages: [{ value: 'debit' }, { value: 'credit' }] });

console.log(await admin.listTransactions({ states: ['Ongoing'] }));
const [described] = await admin.describeTransactions([transactionalId]);
console.log(described!.state, described!.topicPartitions); // Ongoing [{ topic, partition: 0 }]
const [partition] = await admin.describeProducers([{ topic, partition: 0 }]);
console.log(partition!.activeProducers); // [{ producerId, producerEpoch, lastSequence: 1, lastTimestamp, … }]

await txn.commit();
console.log((await admin.describeTransactions([transactionalId]))[0]!.state); // CompleteCommit
await producer.disconnect();
await kafkaless.close();
