/** /api/groups: list with total lag, one group's members and lag per partition, offset reset (preview with dryRun). */
import { z } from 'zod';
import { KafkalessError } from '../../errors.js';
import { parseRequest } from '../../protocol/parse-request.js';
import type { ConsumerGroupDescription } from '../../client/admin-groups.js';
import type { ConsoleContext } from '../context.js';
import type { Route } from '../router.js';

const resetBody = z
  .object({
    topic: z.string(),
    partitions: z.array(z.number().int()).optional(),
    to: z.union([
      z.literal('earliest'),
      z.literal('latest'),
      z.object({ offset: z.number().int() }).strict(),
      z.object({ timestamp: z.number().int() }).strict(),
      z.object({ shiftBy: z.number().int() }).strict(),
    ]),
    dryRun: z.boolean(),
  })
  .strict();

function totalLag(group: ConsumerGroupDescription): number {
  return group.partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0);
}

export function groupRoutes({ kafkaless, lagHistory }: ConsoleContext): Route[] {
  const admin = kafkaless.admin();
  return [
    {
      method: 'GET',
      path: '/api/groups',
      async handle() {
        const { groups } = await admin.listGroups();
        const described = groups.length > 0 ? (await admin.describeGroups(groups.map((g) => g.groupId))).groups : [];
        return {
          groups: groups
            .map((g) => {
              const d = described.find((x) => x.groupId === g.groupId);
              return { groupId: g.groupId, state: g.state, members: g.members, protocolType: g.protocolType, topics: d !== undefined ? [...new Set(d.partitions.map((p) => p.topic))].sort() : [], lag: d !== undefined ? totalLag(d) : 0 };
            })
            .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0)),
        };
      },
    },
    {
      method: 'GET',
      path: '/api/groups/:id',
      async handle({ params }) {
        const [group] = (await admin.describeGroups([params.id!])).groups;
        if (group === undefined || (group.state === 'Dead' && group.partitions.length === 0 && group.members.length === 0)) {
          throw new KafkalessError('GroupIdNotFound', `Group '${params.id!}' does not exist`);
        }
        lagHistory.record(group);
        return {
          groupId: group.groupId,
          state: group.state,
          type: group.type,
          protocol: group.protocol,
          groupEpoch: group.groupEpoch,
          lag: totalLag(group),
          members: group.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, clientHost: m.clientHost, instanceId: m.instanceId ?? null, memberEpoch: m.memberEpoch, assignment: m.assignment })),
          partitions: group.partitions,
          lagHistory: { intervalMs: lagHistory.intervalMs, keepMs: lagHistory.keepMs, samples: lagHistory.samples(group.groupId) },
        };
      },
    },
    {
      method: 'POST',
      path: '/api/groups/:id/reset-offsets',
      async handle({ params, body }) {
        const { topic, partitions, to, dryRun } = parseRequest(resetBody, body, 'reset offsets');
        return admin.resetOffsets({ groupId: params.id!, topic, to, dryRun, ...(partitions !== undefined ? { partitions } : {}) });
      },
    },
  ];
}
