// src/order-producer.ts — a Lambda function of your own that produces
import { Kafkaless } from 'kafkaless';

// Built once per instance, reused across warm invocations. With no options the
// client takes the function's name from KAFKALESS_PRODUCE_FUNCTION (set by your stack).
const producer = new Kafkaless().producer({ 'linger.ms': 0 });

export const handler = async (event: { orderId: string; total: number }) => {
  const [meta] = await producer.send({ topic: 'orders', messages: [{ key: event.orderId, value: JSON.stringify(event) }] });
  await producer.flush(); // nothing left in memory when the invocation ends
  return { partition: meta.partition, offset: meta.offset };
};
