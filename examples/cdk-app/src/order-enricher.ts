/**
 * A subscriber (`kafkaless.subscribe`): invoked with new orders in AWS's
 * MSK event shape, it writes each order with its tax to `orders-enriched`.
 * A handler written for an Amazon MSK trigger reads this event unchanged.
 */
import { Kafkaless } from 'kafkaless';

const producer = new Kafkaless({ functions: { produce: process.env.KAFKALESS_PRODUCE_FUNCTION } }).producer({ 'linger.ms': 0 });

interface MskRecord {
  readonly key?: string;
  readonly value?: string;
}

interface MskEvent {
  readonly records: Record<string, readonly MskRecord[]>;
}

const TAX_RATE = 0.2;

export const handler = async (event: MskEvent): Promise<void> => {
  const messages = Object.values(event.records)
    .flat()
    .map((record) => {
      const order = JSON.parse(Buffer.from(record.value ?? '', 'base64').toString('utf8')) as { orderId: string; total: number };
      const key = record.key === undefined ? null : Buffer.from(record.key, 'base64');
      return { key, value: JSON.stringify({ ...order, tax: Math.round(order.total * TAX_RATE * 100) / 100 }) };
    });
  await producer.send({ topic: 'orders-enriched', messages });
  await producer.flush();
};
