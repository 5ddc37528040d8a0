/**
 * DescribeCluster for a cluster with no broker processes. One logical
 * broker, node 0, answers for every partition and is the controller: every
 * function instance is interchangeable, and DynamoDB coordinates. It has no
 * socket, so its host is `kafkaless` and its port 0. The cluster id is
 * derived from the stack's topic table name, so it is stable for the life
 * of the stack and differs between stacks, with nothing stored.
 */
import { createHash } from 'node:crypto';
import type { ClusterDescription } from '../../protocol/admin-replies.js';

export const LOGICAL_BROKER = Object.freeze({ nodeId: 0, host: 'kafkaless', port: 0 });

/** A Kafka-style cluster id (22 characters of URL-safe base64, as a UUID's 16 bytes) for a topic table. */
export function clusterIdFor(topicsTable: string): string {
  return createHash('sha256').update(`kafkaless-cluster:${topicsTable}`).digest().subarray(0, 16).toString('base64url');
}

export function describeCluster(clusterId: string): ClusterDescription {
  return { brokers: [LOGICAL_BROKER], controller: LOGICAL_BROKER.nodeId, clusterId };
}
