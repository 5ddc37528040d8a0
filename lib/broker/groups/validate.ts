/** Checks that name their own Kafka error, made before anything is written. */
import { KafkalessError } from '../../errors.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import { isAssignorName, type AssignorName } from '../assignors/index.js';
import { MAX_SESSION_TIMEOUT_MS, MIN_SESSION_TIMEOUT_MS } from './defaults.js';

export function validateGroupId(groupId: string): void {
  if (groupId.trim() === '') throw new KafkalessError('InvalidGroupId', 'The group id must not be empty', { context: { field: 'groupId' } });
}

export function validateAssignor(name: string | undefined): AssignorName | undefined {
  if (name === undefined) return undefined;
  if (!isAssignorName(name)) {
    throw new KafkalessError('UnsupportedAssignor', `Assignor '${name}' is not supported; use range, roundrobin, sticky or cooperative-sticky`, {
      context: { field: 'assignor' },
    });
  }
  return name;
}

export function validateSessionTimeout(sessionTimeoutMs: number | undefined): void {
  if (sessionTimeoutMs === undefined) return;
  if (sessionTimeoutMs < MIN_SESSION_TIMEOUT_MS || sessionTimeoutMs > MAX_SESSION_TIMEOUT_MS) {
    throw new KafkalessError(
      'InvalidSessionTimeout',
      `The session timeout ${sessionTimeoutMs} ms is outside [${MIN_SESSION_TIMEOUT_MS}, ${MAX_SESSION_TIMEOUT_MS}] ms`,
      { context: { field: 'sessionTimeoutMs' } },
    );
  }
}

/** Kafka matches a subscription regex against the whole topic name. */
export function compileTopicRegex(source: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`, 'u');
  } catch (err) {
    throw new KafkalessError('InvalidRequest', `The subscribed topic regex '${source}' is not a valid regular expression: ${(err as Error).message}`, {
      context: { field: 'subscribedTopicRegex' },
    });
  }
}

export function validateSubscription(topics: readonly string[] | undefined, regex: string | undefined): void {
  if (topics !== undefined && regex !== undefined) {
    throw new KafkalessError('InvalidRequest', 'Subscribe to topic names or to a regex, not both', { context: { field: 'subscribedTopicRegex' } });
  }
  topics?.forEach(validateTopicName);
  if (regex !== undefined) compileTopicRegex(regex);
}
