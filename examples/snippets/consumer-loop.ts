import { Kafkaless } from 'kafkaless';

const kafkaless = new Kafkaless({ local: true });
const admin = kafkaless.admin();
if (!(await admin.listTopics()).includes('audits')) {
  await admin.createTopics({ topics: [{ topic: 'audits', numPartitions: 2 }] });
}
const producer = kafkaless.producer();
await producer.send({ topic: 'audits', messages: Array.from({ length: 10 }, (_, i) => ({ value: `event-${i}`, partition: i % 2 })) });
await producer.disconnect();

const consumer = kafkaless.consumer({ 'group.id': 'auditors', 'auto.offset.reset': 'earliest' });
consumer.on(consumer.events.RETRY, ({ payload }) => console.warn(`retrying in ${payload.delayMs} ms: ${String(payload.error)}`));
consumer.subscribe({ topic: 'audits' });

let handled = 0;
await new Promise<void>((allHandled, crashed) => {
  // A fatal error (a missing function, access denied) ends the loop: say so, don't hang.
  consumer.on(consumer.events.CRASH, ({ payload }) => crashed(payload.error));
  void consumer.run({
    partitionsConsumedConcurrently: 2, // order is kept within each partition
    eachBatch: async ({ batch, resolveOffset, isStale }) => {
      for (const message of batch.messages) {
        if (isStale()) return; // the partition moved to another member: stop here
        console.log(`${batch.partition}/${message.offset}: ${message.value}`);
        resolveOffset(message.offset); // committed up to here, even if a later record fails
        if (++handled === 10) allHandled();
      }
    },
  });
});
await consumer.disconnect(); // commits what was resolved and leaves the group
await kafkaless.close();
