/**
 * FindCoordinator: every gateway is the coordinator of every group and
 * transactional id (their state is in DynamoDB, not in the gateway), so the
 * answer is always this node; v4+ answers each key of the batched form.
 */
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { codeOf } from '../wire-answers.js';

/** Kafka's coordinator key types: 0 a consumer group, 1 a transactional id, 2 a share group. */
const GROUP_KEY = 0;
const TRANSACTION_KEY = 1;

export const findCoordinator: ApiHandler<typeof API_KEYS.FindCoordinator> = {
  apiKey: API_KEYS.FindCoordinator,
  minVersion: 0,
  maxVersion: 6,
  async handle(request, ctx) {
    const { nodeId, host, port } = ctx.node;
    const keyType = ctx.version >= 1 ? request.keyType : GROUP_KEY;
    const refusal = keyType === GROUP_KEY || keyType === TRANSACTION_KEY ? undefined : `Key type ${keyType} is not served: only consumer groups (0) and transactional ids (1) have a coordinator here`;
    const answer = (key: string) => {
      const message = refusal ?? (key === '' ? 'The coordinator key (a group id or transactional id) must not be empty' : undefined);
      return message === undefined
        ? { key, nodeId, host, port, errorCode: 0, errorMessage: null }
        : { key, nodeId: -1, host: '', port: -1, errorCode: codeOf('InvalidRequest'), errorMessage: message };
    };
    if (ctx.version >= 4) return { throttleTimeMs: 0, coordinators: request.coordinatorKeys.map(answer) };
    const { key: _key, ...single } = answer(request.key);
    return { throttleTimeMs: 0, ...single, coordinators: [] };
  },
};
