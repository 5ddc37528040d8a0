/** A group consumer's configuration: the consumer's, plus the group's, under Kafka's names and defaults. */
import { KafkalessError } from '../../errors.js';
import type { ConsumerConfig } from './config.js';

export interface GroupConsumerConfig extends ConsumerConfig {
  readonly 'group.id'?: string;
  /** kafkajs's name for group.id. */
  readonly groupId?: string;
  /** Shown by describeGroups with this machine's host name. Default 'kafkaless'. */
  readonly 'client.id'?: string;
  /** kafkajs's name for client.id. */
  readonly clientId?: string;
  /** Static membership: a restart within the session timeout keeps the member's partitions without a rebalance. */
  readonly 'group.instance.id'?: string;
  /** Default 45000, as Kafka. */
  readonly 'session.timeout.ms'?: number;
  /** The server-side assignor this member prefers: range, roundrobin, sticky or cooperative-sticky. */
  readonly 'group.remote.assignor'?: string;
  /** Default true. */
  readonly 'enable.auto.commit'?: boolean;
  /** Default 5000. */
  readonly 'auto.commit.interval.ms'?: number;
  /** A member that does not poll (or whose callback does not return) for longer leaves the group; it rejoins at its next poll. Default 300000, as Kafka. */
  readonly 'max.poll.interval.ms'?: number;
}

export interface ResolvedGroupConfig {
  readonly groupId: string;
  readonly clientId: string;
  readonly instanceId?: string;
  readonly sessionTimeoutMs: number;
  readonly assignor?: string;
  readonly autoCommit: boolean;
  readonly autoCommitIntervalMs: number;
  readonly maxPollIntervalMs: number;
}

export const DEFAULT_CLIENT_ID = 'kafkaless';
/** The longest client.id (and host name) the coordinator stores. */
const MAX_CLIENT_ID_LENGTH = 255;
export const DEFAULT_SESSION_TIMEOUT_MS = 45_000;
export const DEFAULT_AUTO_COMMIT_INTERVAL_MS = 5_000;
export const DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

export function isGroupConfig(config: ConsumerConfig | GroupConsumerConfig): config is GroupConsumerConfig {
  return 'group.id' in config || 'groupId' in config;
}

export function resolveGroupConfig(config: GroupConsumerConfig): ResolvedGroupConfig {
  const groupId = config['group.id'] ?? config.groupId;
  if (groupId === undefined || groupId.trim() === '') {
    throw new KafkalessError('InvalidGroupId', 'A group consumer needs a non-empty group.id');
  }
  const interval = config['auto.commit.interval.ms'] ?? DEFAULT_AUTO_COMMIT_INTERVAL_MS;
  if (!Number.isInteger(interval) || interval < 0) {
    throw new KafkalessError('InvalidConfig', `Invalid value ${interval} for configuration auto.commit.interval.ms: a whole number of ms >= 0`);
  }
  const maxPollIntervalMs = config['max.poll.interval.ms'] ?? DEFAULT_MAX_POLL_INTERVAL_MS;
  if (!Number.isInteger(maxPollIntervalMs) || maxPollIntervalMs < 1 || maxPollIntervalMs > 2_147_483_647) {
    throw new KafkalessError('InvalidConfig', `Invalid value ${maxPollIntervalMs} for configuration max.poll.interval.ms: a whole number of ms >= 1`);
  }
  const clientId = config['client.id'] ?? config.clientId ?? DEFAULT_CLIENT_ID;
  if (clientId.length > MAX_CLIENT_ID_LENGTH) {
    throw new KafkalessError('InvalidConfig', `Invalid value for configuration client.id: ${clientId.length} characters, at most ${MAX_CLIENT_ID_LENGTH}`);
  }
  const instanceId = config['group.instance.id'];
  const assignor = config['group.remote.assignor'];
  return Object.freeze({
    groupId,
    clientId,
    ...(instanceId !== undefined ? { instanceId } : {}),
    sessionTimeoutMs: config['session.timeout.ms'] ?? DEFAULT_SESSION_TIMEOUT_MS,
    ...(assignor !== undefined ? { assignor } : {}),
    autoCommit: config['enable.auto.commit'] ?? true,
    autoCommitIntervalMs: interval,
    maxPollIntervalMs,
  });
}
