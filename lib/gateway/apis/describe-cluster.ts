/**
 * DescribeCluster: this gateway is the cluster's only broker and its
 * controller, with the cluster id Metadata answers (by default the stack's,
 * the one admin describeCluster answers: see server.ts). Asked for the
 * controllers' endpoints (v1, type 2), it answers as a Kafka broker does:
 * MISMATCHED_ENDPOINT_TYPE.
 */
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { codeOf } from '../wire-answers.js';

/** Kafka's DescribeCluster endpoint types. */
const BROKERS = 1;
const CONTROLLERS = 2;
/** Kafka's "authorized operations not asked for". */
const OPERATIONS_NOT_ASKED = -2_147_483_648;

export const describeCluster: ApiHandler<typeof API_KEYS.DescribeCluster> = {
  apiKey: API_KEYS.DescribeCluster,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, ctx) {
    const endpointType = ctx.version >= 1 ? request.endpointType : BROKERS;
    const base = { throttleTimeMs: 0, endpointType, clusterId: ctx.clusterId, clusterAuthorizedOperations: OPERATIONS_NOT_ASKED };
    if (endpointType !== BROKERS) {
      const mismatched = endpointType === CONTROLLERS;
      return {
        ...base,
        errorCode: codeOf(mismatched ? 'MismatchedEndpointType' : 'UnsupportedEndpointType'),
        errorMessage: mismatched ? 'This gateway is a broker endpoint; ask it for brokers (endpoint type 1)' : `Unknown endpoint type ${endpointType}: 1 is brokers, 2 controllers`,
        controllerId: -1,
        brokers: [],
      };
    }
    const { nodeId, host, port } = ctx.node;
    return { ...base, errorCode: 0, errorMessage: null, controllerId: nodeId, brokers: [{ brokerId: nodeId, host, port, rack: null }] };
  },
};
