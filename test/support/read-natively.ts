/** Reads `count` records of one partition from offset 0 with the native consumer, to check what a Kafka client wrote. */
import type { ConsumerRecord } from '../../lib/client/consumer/records.js';
import type { Kafkaless } from '../../lib/client/kafkaless.js';

export async function readNatively(kafkaless: Kafkaless, topic: string, partition: number, count: number): Promise<ConsumerRecord[]> {
  const consumer = kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
  consumer.assign([{ topic, partition }]);
  const read: ConsumerRecord[] = [];
  while (read.length < count) read.push(...(await consumer.poll({ timeoutMs: 100 })));
  await consumer.disconnect();
  return read;
}
