/** /api/maintenance: the last run of each maintenance step and the collector's candidates; a partition's objects and commits. */
import type { ConsoleContext } from '../context.js';
import type { Route } from '../router.js';
import { wholeParam } from './query.js';

export function maintenanceRoutes({ inspection }: ConsoleContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/maintenance',
      handle: () => inspection.maintenanceStatus(),
    },
    {
      method: 'GET',
      path: '/api/topics/:name/partitions/:partition',
      async handle({ params, query }) {
        const partition = wholeParam(new URLSearchParams({ partition: params.partition! }), 'partition')!;
        const fromOffset = wholeParam(query, 'from');
        const limit = wholeParam(query, 'limit');
        return inspection.describeLog({ topic: params.name!, partition, ...(fromOffset !== undefined ? { fromOffset } : {}), ...(limit !== undefined ? { limit } : {}) });
      },
    },
  ];
}
