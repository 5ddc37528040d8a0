/** The maintenance function: a run asked by hand, EventBridge's schedule, or one of the read-only inspections. */
import { isInspection, maintenanceRequest, toRunRequest, type InspectionRequest } from '../../protocol/maintenance-requests.js';
import { parseRequest } from '../../protocol/parse-request.js';
import type { Reply } from '../../protocol/reply.js';
import type { BrokerContext } from '../context.js';
import { jsonLogger, toReply, type Logger } from '../dispatch.js';
import { createMaintenanceDeps, type MaintenanceDeps, type MaintenanceOptions } from './deps.js';
import { describeLog, maintenanceStatus, storageSummary } from './inspect.js';
import { runMaintenance } from './run.js';

export { createMaintenanceDeps, DEFAULT_MAINTENANCE_OPTIONS, type MaintenanceDeps, type MaintenanceOptions } from './deps.js';
export { runMaintenance, type RunHooks } from './run.js';

export type MaintenanceHandler = (event: unknown) => Promise<Reply<unknown>>;

function inspect(deps: MaintenanceDeps, request: InspectionRequest): Promise<unknown> {
  switch (request.action) {
    case 'status':
      return maintenanceStatus(deps);
    case 'describeLog':
      return describeLog(deps, request);
    case 'storageSummary':
      return storageSummary(deps, request);
  }
}

export function createMaintenanceHandler(ctx: BrokerContext, log: Logger = jsonLogger, options: Partial<MaintenanceOptions> = {}): MaintenanceHandler {
  const deps = createMaintenanceDeps(ctx, log, options);
  return (event) =>
    toReply(async () => {
      const request = parseRequest(maintenanceRequest, event, 'maintenance');
      return isInspection(request) ? inspect(deps, request) : runMaintenance(deps, toRunRequest(request));
    }, log);
}
