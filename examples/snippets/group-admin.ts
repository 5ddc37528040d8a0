// Consumer group administration against the running local stack (`npm start`).
import { Kafkaless } from 'kafkaless';

const kafkaless = new Kafkaless({ local: true });
const admin = kafkaless.admin();

const topic = `payments-${Date.now()}`;
const groupId = `billing-${Date.now()}`;
await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });

// Offsets of a group with no live members: kafkajs's setOffsets, Java's alterConsumerGroupOffsets.
await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '0' }, { partition: 1, offset: '0' }] });
await admin.alterConsumerGroupOffsets(groupId, [{ topic, partition: 1, offset: 0, metadata: 'replay' }]);
console.log(await admin.fetchOffsets({ groupId, topics: [topic] }));
// → [{ topic, partitions: [{ partition: 0, offset: '0', metadata: '' }, { partition: 1, offset: '0', metadata: 'replay' }] }]

const { groups } = await admin.describeGroups([groupId]);
console.log(groups[0]!.state, groups[0]!.protocolType, groups[0]!.members.length); // Empty consumer 0

// Offsets of a topic no member consumes any more (GroupSubscribedToTopic while one does).
await admin.deleteConsumerGroupOffsets(groupId, [{ topic, partition: 1 }]);
await admin.deleteGroups([groupId]);
await kafkaless.close();
