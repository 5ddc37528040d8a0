/** Error codes and the fixed facts every answer carries: this gateway is the only broker. */
import type { ErrorCode } from '../errors.js';
import { kafkaError, wireErrorCode } from '../wire/index.js';
import type { Settled } from './settle-each.js';

export interface GatewayNode {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

/** The leader epoch the gateway reports: partitions never change leader. */
export const LEADER_EPOCH = 0;

export function errorFields(settled: Settled<unknown>): { errorCode: number; errorMessage: string | null } {
  return settled.error === undefined ? { errorCode: 0, errorMessage: null } : { errorCode: wireErrorCode(settled.error.code), errorMessage: settled.error.message };
}

/** Kafka errors only the gateway answers: the broker never raises them. */
export type GatewayOnlyError = 'UnknownTopicId' | 'InvalidReplicaAssignment' | 'FencedLeaderEpoch' | 'UnknownLeaderEpoch' | 'MismatchedEndpointType' | 'UnsupportedEndpointType';

/** The wire code of a kafkaless error name, or of a Kafka error kafkaless never raises itself. */
export function codeOf(name: ErrorCode | GatewayOnlyError): number {
  return kafkaError(name)?.code ?? wireErrorCode('UnknownServerError');
}

/** Kafka's topic id (16 bytes, URL-safe base64) of kafkaless's (a UUID in hex with dashes). */
export function wireTopicId(topicId: string): string {
  const hex = topicId.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return 'AAAAAAAAAAAAAAAAAAAAAA';
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** Items grouped by topic, in the order topics first appear. */
export function byTopic<T extends { topic: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.topic);
    if (group === undefined) groups.set(item.topic, [item]);
    else group.push(item);
  }
  return groups;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** An int64 from the wire as a safe number, or undefined when it is not one. */
export function safeNumber(value: bigint): number | undefined {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}
