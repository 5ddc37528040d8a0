import { Kafkaless } from 'kafkaless';

const kafkaless = new Kafkaless({ local: true });
const admin = kafkaless.admin();
if (!(await admin.listTopics()).includes('payments')) {
  await admin.createTopics({ topics: [{ topic: 'payments', numPartitions: 3 }] });
}

// Three payments to bill, marked with this run so the consumer knows when it has them all.
const run = new Date().toISOString();
const producer = kafkaless.producer();
await producer.send({
  topic: 'payments',
  messages: ['p-1', 'p-2', 'p-3'].map((id) => ({ key: id, value: JSON.stringify({ run, amount: 10 }) })),
});
await producer.disconnect();

const consumer = kafkaless.consumer({ 'group.id': 'billing', 'auto.offset.reset': 'earliest' });
consumer.subscribe({ topics: ['payments'], listener: {
  onPartitionsAssigned: (partitions) => console.log(`assigned: ${partitions.map((p) => p.partition).join(', ')}`),
  onPartitionsRevoked: async (partitions) => { /* commit your own state before they move */ },
} });

const unbilled = new Set(['p-1', 'p-2', 'p-3']);
await new Promise<void>((allBilled) =>
  consumer.run({ // commits after processing
    eachMessage: async ({ partition, message }) => {
      console.log(`billed ${message.key}: partition ${partition}, offset ${message.offset}`);
      if (JSON.parse(String(message.value)).run === run) unbilled.delete(String(message.key));
      if (unbilled.size === 0) allBilled();
    },
  }),
);
await consumer.disconnect(); // commits and leaves the group
await kafkaless.close();
