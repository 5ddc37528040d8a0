export { Kafkaless, type KafkalessOptions } from './kafkaless.js';
export { Admin, type NewTopic, type ConfigEntry } from './admin.js';
export type {
  ConsumerGroupDescription,
  ConsumerGroupState,
  FetchOffsetsPartition,
  GroupMemberDescription,
  GroupOverview,
  OffsetToAlter,
  ResetOffsetsOptions,
  TopicPartitionList,
} from './admin-groups.js';
export type { PartitionProducers, ProducerStateDescription, TransactionDescription, TransactionListing } from '../protocol/txn-admin-replies.js';
export type { TransactionStateName } from '../protocol/txn-admin-requests.js';
export type { ListedPartitionOffset, OffsetSpec, SeekEntry, TopicPartitionOffsets } from './admin-topic-offsets.js';
export type { ConfigOperation } from '../protocol/admin-config-requests.js';
export type { ClusterDescription, TopicConfigDescription } from '../protocol/admin-replies.js';
export type { Transport, InvokeOptions } from './transport.js';
export { StorageInspection, type DescribeLogReply, type MaintenanceStatusReply, type StorageSummaryReply } from './storage-inspection.js';
export { LambdaTransport, type LambdaTransportOptions } from './transports/lambda-transport.js';
export { KafkalessError } from '../errors.js';
export { Producer, type SendOptions, type SendBatchOptions } from './producer/producer.js';
export type { ProducerConfig, Acks } from './producer/config.js';
export type { Message, RecordMetadata } from './producer/message.js';
export {
  Consumer,
  type ConsumerRecord,
  type TopicPartition,
  type TopicPartitions,
  type EachMessagePayload,
  type EachBatchPayload,
  type Batch,
  type KafkaMessage,
  type RunOptions,
  type PollOptions,
  type PartitionOffset,
  type OffsetForTime,
  type OffsetsByTopicPartition,
} from './consumer/consumer.js';
export type { ConsumerConfig, IsolationLevel } from './consumer/config.js';
export { CONSUMER_EVENTS, type ConsumerEvent, type ConsumerEventName, type ConsumerEventListener, type ConsumerEventPayloads } from './consumer/consumer-events.js';
export * from './partitioners/index.js';
export { GroupConsumer, type RebalanceListener, type SubscribeOptions, type GroupRunOptions, type OffsetToCommit } from './consumer/group-consumer.js';
export type { GroupConsumerConfig } from './consumer/group-config.js';
export { ExactlyOncePipeline, type ExactlyOnceOptions, type OutputMessage } from './consume-transform-produce.js';
export { Transaction } from './producer/transaction.js';
export { exactlyOnceHandler, type ExactlyOnceContext, type ExactlyOnceFunction, type SubscriptionAnswer, type SubscriptionProducer, type EncodedSubscriptionAnswer } from '../triggers/exactly-once-handler.js';
export type { SubscriptionOutputRecord, OutputEncoding } from '../triggers/output-records.js';
export type { KafkaEvent, KafkaEventRecord } from '../triggers/msk-event.js';
export type { TransactionalProducerConfig } from './producer/transaction-config.js';
