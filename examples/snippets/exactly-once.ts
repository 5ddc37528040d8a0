import { ExactlyOncePipeline, Kafkaless } from 'kafkaless';

const kafkaless = new Kafkaless({ local: true });
const admin = kafkaless.admin();
const existing = await admin.listTopics();
const missing = ['checkouts', 'checkouts-enriched'].filter((topic) => !existing.includes(topic));
if (missing.length > 0) await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: 3 })) });

// Three checkouts to enrich, marked with this run so we know when they are done.
const run = new Date().toISOString();
const input = kafkaless.producer();
await input.send({ topic: 'checkouts', messages: ['c-1', 'c-2', 'c-3'].map((id) => ({ key: id, value: JSON.stringify({ run, total: 10 }) })) });
await input.disconnect();

const consumer = kafkaless.consumer({ 'group.id': 'enricher', 'enable.auto.commit': false, 'auto.offset.reset': 'earliest' });
consumer.subscribe({ topic: 'checkouts', fromBeginning: true });
const producer = kafkaless.producer({ 'transactional.id': 'enricher-1' });
let pending = 3;
const pipeline = new ExactlyOncePipeline({ kafkaless, consumer, producer,
  transform: (record) => {
    const checkout = JSON.parse(String(record.value));
    if (checkout.run === run) pending -= 1;
    return [{ topic: 'checkouts-enriched', key: record.key, value: JSON.stringify({ ...checkout, currency: 'EUR' }) }];
  } });
while (pending > 0) {
  const processed = await pipeline.processOnce(); // one transaction: the outputs and the input's offsets (or: await pipeline.run())
  if (processed > 0) console.log(`enriched ${processed} checkouts, exactly once`);
}
await consumer.disconnect();
await producer.disconnect();
await kafkaless.close();
