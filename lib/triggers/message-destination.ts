/**
 * An SQS queue or SNS topic as a subscription's on-failure destination, as
 * AWS's Kafka event source mappings send to one: per given-up batch, one
 * message holding the invocation record without the batch's event
 * (failure-record.ts). Sent before the offset moves past the records (at
 * least once: a crash between the two sends a second message).
 *
 * The SQS and SNS clients' commands are imported when a message is first
 * sent, so a trigger (or anything else importing lib/triggers) with no such
 * destination evaluates neither SDK.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SubscriptionSpec } from '../names.js';

/** Where a subscription's given-up records go, read from its spec. */
export type FailureDestination =
  | { readonly kind: 'topic'; readonly topic: string }
  | { readonly kind: 'bucket'; readonly bucket: string }
  | { readonly kind: 'queue'; readonly queueUrl: string }
  | { readonly kind: 'sns'; readonly topicArn: string };

export function failureDestination(spec: SubscriptionSpec): FailureDestination | undefined {
  if (spec.onFailureTopic !== undefined) return { kind: 'topic', topic: spec.onFailureTopic };
  if (spec.onFailureBucket !== undefined) return { kind: 'bucket', bucket: spec.onFailureBucket };
  if (spec.onFailureQueueUrl !== undefined) return { kind: 'queue', queueUrl: spec.onFailureQueueUrl };
  if (spec.onFailureSnsTopicArn !== undefined) return { kind: 'sns', topicArn: spec.onFailureSnsTopicArn };
  return undefined;
}

/** The clients a message destination is sent with (the trigger makes them only for subscriptions that have one). */
export interface MessageClients {
  readonly sqs?: SQSClient;
  readonly sns?: SNSClient;
}

export async function sendFailureMessage(clients: MessageClients, destination: Extract<FailureDestination, { kind: 'queue' | 'sns' }>, body: string): Promise<void> {
  if (destination.kind === 'queue') {
    if (clients.sqs === undefined) throw new Error(`An SQS on-failure destination (${destination.queueUrl}), but the trigger has no SQS client`);
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: destination.queueUrl, MessageBody: body }));
    return;
  }
  if (clients.sns === undefined) throw new Error(`An SNS on-failure destination (${destination.topicArn}), but the trigger has no SNS client`);
  const { PublishCommand } = await import('@aws-sdk/client-sns');
  await clients.sns.send(new PublishCommand({ TopicArn: destination.topicArn, Message: body }));
}
