/**
 * /api/overview: the stack at a glance — topics, partitions, records and
 * bytes, groups by state; objects in S3, commits per minute, the last
 * maintenance runs (the maintenance function's storageSummary), and the
 * cost estimate made from them.
 */
import type { ConsoleContext } from '../context.js';
import { estimateCost } from '../cost-estimate.js';
import type { Route } from '../router.js';

export function overviewRoutes({ kafkaless, inspection }: ConsoleContext): Route[] {
  const admin = kafkaless.admin();
  return [
    {
      method: 'GET',
      path: '/api/overview',
      async handle() {
        const [topics, { groups }, cluster, storage] = await Promise.all([admin.describeTopics(), admin.listGroups(), admin.describeCluster(), inspection.storageSummary()]);
        const partitions = topics.flatMap((t) => t.partitions);
        const states: Record<string, number> = {};
        for (const g of groups) states[g.state] = (states[g.state] ?? 0) + 1;
        return {
          clusterId: cluster.clusterId,
          topics: topics.length,
          partitions: partitions.length,
          records: partitions.reduce((sum, p) => sum + (p.highWatermark - p.logStartOffset), 0),
          bytes: partitions.reduce((sum, p) => sum + p.bytes, 0),
          groups: groups.length,
          groupStates: states,
          storage,
          cost: estimateCost(storage),
        };
      },
    },
  ];
}
