/**
 * Topic name rules, as Kafka's `Topic.validate`: 1–249 characters of
 * `[a-zA-Z0-9._-]`, not `.` nor `..`. Messages match Kafka's word for word.
 */
import { KafkalessError } from '../errors.js';

export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Why a name is invalid, in Kafka's words, or undefined when it is valid. */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the empty string is not allowed';
  if (name === '.') return "'.' is not allowed";
  if (name === '..') return "'..' is not allowed";
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `the length of '${name}' is longer than the max allowed length ${MAX_TOPIC_NAME_LENGTH}`;
  }
  if (!LEGAL.test(name)) {
    return `'${name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`;
  }
  return undefined;
}

export function validateTopicName(name: string): void {
  const problem = topicNameProblem(name);
  if (problem !== undefined) {
    throw new KafkalessError('InvalidTopic', `Topic name is invalid: ${problem}`, { context: { topic: name } });
  }
}

/** Metric names replace '.' with '_', so Kafka treats such names as colliding. */
export function unifyCollisionChars(name: string): string {
  return name.replaceAll('.', '_');
}

export function hasCollisionChars(name: string): boolean {
  return name.includes('_') || name.includes('.');
}
