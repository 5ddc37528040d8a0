/** InitProducerId for idempotent producers; transactional ids are not served yet. */
import { toErrorPayload } from '../../errors.js';
import type { InitProducerIdReply } from '../../protocol/log-replies.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { codeOf } from '../wire-answers.js';

export const initProducerId: ApiHandler<typeof API_KEYS.InitProducerId> = {
  apiKey: API_KEYS.InitProducerId,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    if (request.transactionalId !== null) return { throttleTimeMs: 0, errorCode: codeOf('UnsupportedVersion'), producerId: -1, producerEpoch: -1 };
    try {
      const reply = await ctx.broker.call<InitProducerIdReply>('produce', { action: 'initProducerId' });
      return { throttleTimeMs: 0, errorCode: 0, producerId: reply.producerId, producerEpoch: reply.producerEpoch };
    } catch (err) {
      return { throttleTimeMs: 0, errorCode: codeOf(toErrorPayload(err).code), producerId: -1, producerEpoch: -1 };
    }
  },
};
