/**
 * Reads the orders that arrived since the last run, as a member of the
 * `order-audit` group, and commits what it read (run it on a schedule).
 */
import { Kafkaless } from 'kafkaless';

const kafkaless = new Kafkaless({
  functions: { fetch: process.env.KAFKALESS_FETCH_FUNCTION, group: process.env.KAFKALESS_GROUP_FUNCTION },
});

export const handler = async (): Promise<{ orders: number; total: number }> => {
  const consumer = kafkaless.consumer({ 'group.id': 'order-audit', 'auto.offset.reset': 'earliest', 'enable.auto.commit': false });
  consumer.subscribe({ topics: ['orders'] });
  try {
    const records = await consumer.poll({ timeoutMs: 5_000 });
    let total = 0;
    for (const record of records) total += (JSON.parse(String(record.value)) as { total: number }).total;
    await consumer.commitSync();
    return { orders: records.length, total };
  } finally {
    await consumer.disconnect();
  }
};
