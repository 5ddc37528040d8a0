/**
 * The subscribed function's side of an exactly-once subscription: wraps a
 * handler so that what it sends through the producer in its context (and
 * any `output` it returns) is answered as the invocation's output records.
 * Nothing is produced from the function itself: the trigger appends the
 * output and commits the group's offsets in one transaction once the
 * invocation succeeded, so a failed, timed-out or retried invocation
 * leaves no output behind.
 *
 *   export const handler = exactlyOnceHandler(async (event, { producer }) => {
 *     for (const records of Object.values(event.records)) for (const r of records)
 *       await producer.send({ topic: 'out', messages: [{ key: r.key, value: transform(r.value) }] });
 *   });
 */
import type { OutputMessage } from '../client/consume-transform-produce.js';
import type { Message } from '../client/producer/message.js';
import type { KafkaEvent } from './msk-event.js';
import { encodeOutput, type SubscriptionOutputRecord } from './output-records.js';

/** Records sent here are the invocation's output: appended, with the offsets, only if it succeeds. */
export interface SubscriptionProducer {
  send(options: { readonly topic: string; readonly messages: readonly Message[] }): Promise<void>;
  sendBatch(options: { readonly topicMessages: readonly { readonly topic: string; readonly messages: readonly Message[] }[] }): Promise<void>;
}

export interface ExactlyOnceContext<C> {
  readonly producer: SubscriptionProducer;
  /** Lambda's own context object. */
  readonly lambda: C;
}

export interface SubscriptionAnswer {
  readonly batchItemFailures?: readonly { readonly itemIdentifier: string }[];
  /** Output records besides those sent through the producer (after them). */
  readonly output?: readonly OutputMessage[];
}

export interface EncodedSubscriptionAnswer {
  readonly batchItemFailures?: readonly { readonly itemIdentifier: string }[];
  readonly output: readonly SubscriptionOutputRecord[];
}

export type ExactlyOnceFunction<C> = (event: KafkaEvent, context: ExactlyOnceContext<C>) => Promise<SubscriptionAnswer | void> | SubscriptionAnswer | void;

export function exactlyOnceHandler<C = unknown>(fn: ExactlyOnceFunction<C>): (event: KafkaEvent, context: C) => Promise<EncodedSubscriptionAnswer> {
  return async (event, lambda) => {
    const sent: OutputMessage[] = [];
    const producer: SubscriptionProducer = {
      send: async ({ topic, messages }) => void sent.push(...messages.map((m) => ({ ...m, topic }))),
      sendBatch: async ({ topicMessages }) => void sent.push(...topicMessages.flatMap(({ topic, messages }) => messages.map((m) => ({ ...m, topic })))),
    };
    const answer = (await fn(event, { producer, lambda })) ?? {};
    return {
      ...(answer.batchItemFailures !== undefined ? { batchItemFailures: answer.batchItemFailures } : {}),
      output: encodeOutput([...sent, ...(answer.output ?? [])]),
    };
  };
}
