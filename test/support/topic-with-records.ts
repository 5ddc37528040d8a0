/** A new topic holding `records` values v0, v1, … spread round-robin over its partitions. */
import type { Kafkaless } from '../../lib/client/kafkaless.js';

export async function createTopicWithRecords(kafkaless: Kafkaless, topic: string, partitions: number, records: number): Promise<void> {
  await kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: partitions }] });
  const producer = kafkaless.producer({ 'linger.ms': 0 });
  await producer.send({ topic, messages: Array.from({ length: records }, (_, i) => ({ value: `v${i}`, partition: i % partitions })) });
  await producer.disconnect();
}
