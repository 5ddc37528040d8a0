/**
 * A topic change lost a race (another request changed or deleted the topic
 * between the read and the conditional write): the whole read, plan and
 * write is done again from a fresh read. Only when every attempt lost is
 * the request refused, with Kafka's retriable `RequestTimedOut`.
 */
import { KafkalessError } from '../../errors.js';
import { retry } from '../../retry.js';
import { isTopicChanged } from '../../storage/topic-store.js';

const MAX_ATTEMPTS = 8;

export async function retryTopicRace<T>(work: () => Promise<T>, random: () => number): Promise<T> {
  return retry(work, { maxAttempts: MAX_ATTEMPTS, initialDelayMs: 10, maxDelayMs: 200, random, isRetriable: isTopicChanged }).catch((err: unknown) => {
    if (!isTopicChanged(err)) throw err;
    throw new KafkalessError('RequestTimedOut', `Other requests kept changing topic '${err.topic}' for ${MAX_ATTEMPTS} attempts; nothing was changed: retry the request.`, {
      context: { topic: err.topic },
      cause: err,
    });
  });
}
