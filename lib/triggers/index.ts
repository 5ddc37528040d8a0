/** Subscriptions: delivery of new records to users' functions (docs/TRIGGERS.md). */
export { createTriggerHandler, type StreamBatchResponse, type TriggerContext, type TriggerHandler } from './trigger-handler.js';
export { deliverPartition, leaseName, type DeliveryReport, type DeliveryStatus } from './deliver-partition.js';
export type { TriggerDeps } from './deps.js';
export { buildKafkaEvent, recordsKey, toKafkaEventRecord, kafkalessEventSourceArn, type KafkaEvent, type KafkaEventRecord, type DeliveredRecord } from './msk-event.js';
export { interpretInvocation, itemIdentifier, parseItemIdentifier, type InvocationOutcome, type InvocationResult } from './invocation-outcome.js';
export { DEAD_LETTER_HEADERS } from './dead-letter.js';
export { parseSubscriptions, subscriptionsFromEnv, effectiveRetryAttempts } from './subscriptions.js';
export { headChanges, type HeadChange } from './head-changes.js';
export { lambdaInvoker } from './lambda-invoker.js';
export { exactlyOnceHandler, type ExactlyOnceContext, type ExactlyOnceFunction, type SubscriptionAnswer, type SubscriptionProducer, type EncodedSubscriptionAnswer } from './exactly-once-handler.js';
export { encodeOutput, type SubscriptionOutputRecord, type OutputEncoding } from './output-records.js';
export { parseOutput } from './output-parse.js';
export { subscriptionTransactionalId } from './partition-progress.js';
