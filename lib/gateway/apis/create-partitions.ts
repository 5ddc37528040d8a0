/**
 * CreatePartitions: the broker's createPartitions (partitions are only
 * added; validate only too). This gateway is every partition's only
 * replica, so an assignment is accepted only when it names this node alone,
 * and then changes nothing; one naming another broker is
 * INVALID_REPLICA_ASSIGNMENT. A topic named twice is INVALID_REQUEST.
 */
import { KafkalessError } from '../../errors.js';
import { MAX_TOPICS_PER_REQUEST } from '../../limits.js';
import { API_KEYS } from '../../wire/index.js';
import type { CreatePartitionsRequestCreatePartitionsTopic } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { chunksOf, sameTopic, settleChecked } from '../settle-each.js';
import { codeOf, errorFields } from '../wire-answers.js';

export const createPartitions: ApiHandler<typeof API_KEYS.CreatePartitions> = {
  apiKey: API_KEYS.CreatePartitions,
  minVersion: 0,
  maxVersion: 3,
  async handle(request, ctx) {
    const names = request.topics.map((t) => t.name);
    const twice = new Set(names.filter((n, k) => names.indexOf(n) !== k));
    const results = [];
    for (const chunk of chunksOf(request.topics, MAX_TOPICS_PER_REQUEST)) {
      const refusal = (t: CreatePartitionsRequestCreatePartitionsTopic) =>
        twice.has(t.name) ? new KafkalessError('InvalidRequest', `Topic '${t.name}' appears more than once in the request`) : undefined;
      const settled = await settleChecked(chunk.filter((t) => foreignBroker(t, ctx.node.nodeId) === undefined), refusal, (t, c) => sameTopic(t.name, c), async (topics) => {
        const reply = await ctx.broker.call<{ topics: unknown[] }>('admin', {
          action: 'createPartitions',
          topicPartitions: topics.map((t) => ({ topic: t.name, count: t.count })),
          validateOnly: request.validateOnly,
        });
        return reply.topics;
      });
      let next = 0;
      for (const t of chunk) {
        const foreign = foreignBroker(t, ctx.node.nodeId);
        if (foreign !== undefined) {
          results.push({ name: t.name, errorCode: codeOf('InvalidReplicaAssignment'), errorMessage: `Unknown broker ${foreign} in the replica assignment: this cluster's only broker is ${ctx.node.nodeId}` });
        } else {
          results.push({ name: t.name, ...errorFields(settled[next++]!) });
        }
      }
    }
    return { throttleTimeMs: 0, results };
  },
};

/** A broker id of the assignment that is not this gateway's node. */
function foreignBroker(t: CreatePartitionsRequestCreatePartitionsTopic, nodeId: number): number | undefined {
  return (t.assignments ?? []).flatMap((a) => a.brokerIds).find((id) => id !== nodeId);
}
