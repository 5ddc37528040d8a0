/**
 * The in-memory key of one partition of a topic (maps and sets of
 * partitions): the topic's name and the partition joined by a NUL, which no
 * topic name contains. Keys that are stored keep their own formats:
 * `partitionKey` in lib/names.ts (a topic id's partition) and `tpKey` in
 * lib/storage/group-records.ts (a group's partitions).
 */
export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
