/**
 * Builds the trigger function's handler from its environment: the broker
 * in process over the stack's tables and bucket (as the gateway runs it),
 * a Lambda client to invoke the subscribed functions, leases in the
 * partitions table. Clients are made once per instance; SQS and SNS
 * clients only when a subscription has such an on-failure destination
 * (their SDKs are loaded then, not otherwise). It is also the handler of
 * the stack's subscriptions custom resource (start-resource.ts).
 */
import { randomUUID } from 'node:crypto';
import { createDynamoDbClient, createLambdaClient, createS3Client } from '../aws/clients.js';
import { jsonLogger } from '../broker/dispatch.js';
import { EmbeddedTransport } from '../client/transports/embedded.js';
import { loadRuntimeConfig } from '../config/runtime-config.js';
import { TABLE_ROLES, type TableRole } from '../names.js';
import { defaultSleep } from '../retry.js';
import { wakeHead as wakePartitionHead } from '../storage/head-wake.js';
import { LeaseStore } from '../storage/lease-store.js';
import { lambdaInvoker } from './lambda-invoker.js';
import type { MessageClients } from './message-destination.js';
import { kafkalessEventSourceArn } from './msk-event.js';
import { answerCustomResource, httpsPut, isCustomResourceEvent } from './start-resource.js';
import { subscriptionsFromEnv } from './subscriptions.js';
import { createTriggerHandler, type TriggerHandler } from './trigger-handler.js';
import { WAKE_EVENT } from './wake-subscriptions.js';

export function triggerFunctionFromEnv(env: NodeJS.ProcessEnv = process.env): TriggerHandler {
  const config = loadRuntimeConfig('trigger', env);
  const subscriptions = subscriptionsFromEnv(env);
  const dynamodb = createDynamoDbClient();
  const s3 = createS3Client();
  const tables = Object.fromEntries(TABLE_ROLES.map((role) => [role, config.tables[role] ?? ''])) as Record<TableRole, string>;
  const broker = new EmbeddedTransport({ dynamodb, s3, tables, bucket: config.bucket ?? '' });
  const leases = new LeaseStore(dynamodb, tables.partitions);
  const invoke = lambdaInvoker(createLambdaClient());
  const region = env.AWS_REGION ?? 'us-east-1';
  const source = { eventSource: 'aws:kafka' as const, eventSourceArn: kafkalessEventSourceArn(region, 'kafkaless', tables.topics), bootstrapServers: 'kafkaless' };
  const needs = { sqs: subscriptions.some((s) => s.onFailureQueueUrl !== undefined), sns: subscriptions.some((s) => s.onFailureSnsTopicArn !== undefined) };
  const loading: Promise<MessageClients> = needs.sqs || needs.sns ? import('../aws/message-clients.js').then((m) => m.createMessageClients(needs)) : Promise.resolve({});
  // Awaited by the first invocation (which then fails with its error); not an unhandled rejection before that.
  loading.catch(() => undefined);
  let messages: MessageClients = {};
  const wakeHead = (topicId: string, partition: number): Promise<boolean> => wakePartitionHead(dynamodb, tables.partitions, topicId, partition);
  const handler = createTriggerHandler(
    () => ({ broker, invoke, leases, source, owner: randomUUID(), now: Date.now, sleep: defaultSleep, random: Math.random, log: jsonLogger, s3, wakeHead, ...messages }),
    subscriptions,
  );
  return async (event, context) => {
    messages = await loading;
    if (isCustomResourceEvent(event)) {
      await answerCustomResource(event, () => handler(WAKE_EVENT), httpsPut, (message, fields) => jsonLogger('error', message, fields));
      return { batchItemFailures: [] };
    }
    return handler(event, context);
  };
}
