/**
 * A subscriber (`kafkaless.subscribe`, exactly once): invoked with new
 * orders in AWS's MSK event shape, it writes each order with its tax to
 * `orders-enriched`. What it sends through the producer in its context is
 * appended with the subscription's offsets in one transaction, so a retried
 * or crashed invocation never writes an order twice.
 */
import { exactlyOnceHandler } from 'kafkaless';

const TAX_RATE = 0.2;

export const handler = exactlyOnceHandler(async (event, { producer }) => {
  const messages = Object.values(event.records)
    .flat()
    .map((record) => {
      const order = JSON.parse(Buffer.from(record.value ?? '', 'base64').toString('utf8')) as { orderId: string; total: number };
      const key = record.key === undefined ? null : Buffer.from(record.key, 'base64');
      return { key, value: JSON.stringify({ ...order, tax: Math.round(order.total * TAX_RATE * 100) / 100 }) };
    });
  await producer.send({ topic: 'orders-enriched', messages });
});
