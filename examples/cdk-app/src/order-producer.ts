/** Produces one order per invocation, over the kafkaless produce function. */
import { Kafkaless } from 'kafkaless';

// Built once per instance, reused across warm invocations.
const producer = new Kafkaless({ functions: { produce: process.env.KAFKALESS_PRODUCE_FUNCTION } }).producer({ 'linger.ms': 0 });

export interface Order {
  readonly orderId: string;
  readonly total: number;
}

export const handler = async (order: Order): Promise<{ partition: number; offset: number }> => {
  const [meta] = await producer.send({ topic: 'orders', messages: [{ key: order.orderId, value: JSON.stringify(order) }] });
  await producer.flush(); // nothing left in memory when the invocation ends
  return { partition: meta!.partition, offset: meta!.offset };
};
