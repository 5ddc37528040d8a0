import { Kafkaless } from 'kafkaless';

// The local stack (`npm start`); a deployed one: new Kafkaless({ stackName: 'Kafkaless', region: 'eu-west-1' }).
const kafkaless = new Kafkaless({ local: true });
const admin = kafkaless.admin();

const topic = `payments-${Date.now()}`;
await admin.createTopics({
  topics: [{ topic, numPartitions: 2, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
});

// Kafka's incrementalAlterConfigs: SET, DELETE, APPEND, SUBTRACT (lists only).
await admin.incrementalAlterConfigs({
  topics: [{ topic, configEntries: [
    { name: 'cleanup.policy', operation: 'APPEND', value: 'compact' },
    { name: 'retention.ms', operation: 'SET', value: '86400000' },
  ] }],
});
const [configs] = await admin.describeConfigs({ topics: [topic] });
for (const e of configs!.configEntries) console.log(e.name, e.value, e.source, e.hasEffect ? '' : '(no effect)');

const producer = kafkaless.producer();
await producer.send({ topic, messages: [{ key: 'a', value: 'first' }] });
await producer.disconnect();

console.log(await admin.fetchTopicOffsets(topic)); // [{ partition, offset, high, low }], offsets as strings
console.log(await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() - 60_000)); // [{ partition, offset }]
console.log(await admin.describeCluster()); // { brokers: [{ nodeId: 0, host: 'kafkaless', port: 0 }], controller: 0, clusterId }

await admin.deleteTopics({ topics: [topic] });
await kafkaless.close();
