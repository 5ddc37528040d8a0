/**
 * The trigger function's subscriptions, read once from its environment
 * (SUBSCRIPTIONS_ENV, written by the construct) into validated, frozen specs.
 */
import { z } from 'zod';
import { patternProblems } from '../event-pattern.js';
import { SUBSCRIPTIONS_ENV, type SubscriptionSpec } from '../names.js';
import {
  LAMBDA_TIMEOUT_SECONDS,
  MAX_NAME_CHARS,
  SUBSCRIPTION_BATCH_SIZE,
  SUBSCRIPTION_BATCHING_WINDOW_MS,
  SUBSCRIPTION_FILTERS_MAX,
  SUBSCRIPTION_PARALLELISM,
  SUBSCRIPTION_RECORD_AGE_MS,
  SUBSCRIPTION_RETRY_ATTEMPTS,
} from '../limits.js';

const name = z.string().min(1).max(MAX_NAME_CHARS);

const specSchema = z
  .object({
    name,
    functionName: name,
    topics: z.array(name).max(100),
    topicsRegex: z.string().min(1).max(1000).optional(),
    connector: name.optional(),
    groupId: name,
    batchSize: z.number().int().min(SUBSCRIPTION_BATCH_SIZE.min).max(SUBSCRIPTION_BATCH_SIZE.max),
    maximumBatchingWindowMs: z.number().int().min(SUBSCRIPTION_BATCHING_WINDOW_MS.min).max(SUBSCRIPTION_BATCHING_WINDOW_MS.max),
    startingPosition: z.enum(['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP']),
    startingPositionTimestampMs: z.number().int().min(0).optional(),
    maximumRetryAttempts: z.number().int().min(SUBSCRIPTION_RETRY_ATTEMPTS.min).max(SUBSCRIPTION_RETRY_ATTEMPTS.max),
    maximumRecordAgeMs: z.union([z.literal(-1), z.number().int().min(SUBSCRIPTION_RECORD_AGE_MS.min).max(SUBSCRIPTION_RECORD_AGE_MS.max)]),
    bisectBatchOnFunctionError: z.boolean(),
    reportBatchItemFailures: z.boolean(),
    onFailureTopic: name.optional(),
    onFailureBucket: z.string().min(3).max(63).optional(),
    onFailureQueueUrl: z.url().optional(),
    onFailureSnsTopicArn: z.string().startsWith('arn:').optional(),
    parallelism: z.number().int().min(SUBSCRIPTION_PARALLELISM.min).max(SUBSCRIPTION_PARALLELISM.max),
    functionTimeoutMs: z.number().int().min(1000).max(LAMBDA_TIMEOUT_SECONDS.max * 1000),
    exactlyOnce: z.boolean().optional(),
    filterPatterns: z
      .array(z.string().refine((p) => patternProblems(p).length === 0, { message: 'not a filter pattern' }))
      .min(1)
      .max(SUBSCRIPTION_FILTERS_MAX)
      .optional(),
  })
  .strict()
  .refine((s) => (s.startingPosition === 'AT_TIMESTAMP') === (s.startingPositionTimestampMs !== undefined), {
    message: 'startingPositionTimestampMs is given with AT_TIMESTAMP, and only then',
  })
  .refine((s) => onFailureDestinations(s) <= 1, { message: 'one on-failure destination: a topic, a bucket, a queue or an SNS topic' })
  .refine((s) => s.topics.length > 0 || s.topicsRegex !== undefined, { message: 'a subscription names topics, or a topicsRegex' })
  .refine((s) => s.topicsRegex === undefined || isRegex(s.topicsRegex), { message: 'topicsRegex is not a regular expression' });

function isRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** Whether the subscription receives `topic`: named in `topics`, or its whole name matches `topicsRegex`. */
export function subscribesTo(spec: SubscriptionSpec, topic: string): boolean {
  if (spec.topics.includes(topic)) return true;
  return spec.topicsRegex !== undefined && new RegExp(`^(?:${spec.topicsRegex})$`).test(topic);
}

export function parseSubscriptions(json: string): readonly SubscriptionSpec[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`${SUBSCRIPTIONS_ENV} is not JSON: ${(err as Error).message}`);
  }
  const parsed = z.array(specSchema).safeParse(raw);
  if (!parsed.success) throw new Error(`${SUBSCRIPTIONS_ENV} is not a list of subscriptions: ${z.prettifyError(parsed.error)}`);
  const names = new Set<string>();
  for (const spec of parsed.data) {
    if (names.has(spec.name)) throw new Error(`${SUBSCRIPTIONS_ENV} names subscription '${spec.name}' twice`);
    names.add(spec.name);
  }
  return Object.freeze(parsed.data.map((spec) => Object.freeze(spec as SubscriptionSpec)));
}

export function subscriptionsFromEnv(env: NodeJS.ProcessEnv = process.env): readonly SubscriptionSpec[] {
  const json = env[SUBSCRIPTIONS_ENV];
  if (json === undefined || json === '') throw new Error(`${SUBSCRIPTIONS_ENV} is not set: the trigger function has no subscriptions`);
  return parseSubscriptions(json);
}

/** Retries before a batch goes to the on-failure topic (or is dropped): -1 means until the records expire, at most 10 with an on-failure topic, as AWS's ESM. */
export function effectiveRetryAttempts(spec: SubscriptionSpec): number {
  if (spec.maximumRetryAttempts >= 0) return spec.maximumRetryAttempts;
  return hasOnFailureDestination(spec) ? SUBSCRIPTION_RETRY_ATTEMPTS.withOnFailure : Number.POSITIVE_INFINITY;
}

export function hasOnFailureDestination(spec: SubscriptionSpec): boolean {
  return onFailureDestinations(spec) > 0;
}

function onFailureDestinations(spec: Pick<SubscriptionSpec, 'onFailureTopic' | 'onFailureBucket' | 'onFailureQueueUrl' | 'onFailureSnsTopicArn'>): number {
  return [spec.onFailureTopic, spec.onFailureBucket, spec.onFailureQueueUrl, spec.onFailureSnsTopicArn].filter((d) => d !== undefined).length;
}
