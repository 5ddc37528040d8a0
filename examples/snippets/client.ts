import { Kafkaless } from 'kafkaless';

// The stack `npm start` runs, found by its .kafkaless/local.json.
// A deployed stack instead: new Kafkaless({ stackName: 'Kafkaless', region: 'eu-west-1' })
const kafkaless = new Kafkaless({ local: true });

const admin = kafkaless.admin();
if (!(await admin.listTopics()).includes('orders')) {
  await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] });
}

const producer = kafkaless.producer({ acks: 'all', 'linger.ms': 5 });
const [meta] = await producer.send({
  topic: 'orders',
  messages: [{ key: 'customer-42', value: JSON.stringify({ total: 10 }), headers: { source: 'web' } }],
});
console.log(`sent: partition ${meta.partition}, offset ${meta.offset}`);
await producer.disconnect(); // flushes

// Read it back: the record's partition, from the offset it took.
const consumer = kafkaless.consumer();
consumer.assign([{ topic: 'orders', partition: meta.partition }]);
consumer.seek({ topic: 'orders', partition: meta.partition, offset: meta.offset });
await new Promise<void>((received) =>
  consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      console.log(`received: ${topic}/${partition} offset ${message.offset} ${message.key} ${message.value}`);
      received();
    },
  }),
);
await consumer.disconnect();
await kafkaless.close();
