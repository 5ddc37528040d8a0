/** The maintenance function: a run asked by hand, or EventBridge's schedule. */
import { maintenanceRequest, toRunRequest } from '../../protocol/maintenance-requests.js';
import { parseRequest } from '../../protocol/parse-request.js';
import type { Reply } from '../../protocol/reply.js';
import type { BrokerContext } from '../context.js';
import { jsonLogger, toReply, type Logger } from '../dispatch.js';
import { createMaintenanceDeps, type MaintenanceOptions } from './deps.js';
import { runMaintenance } from './run.js';

export { createMaintenanceDeps, DEFAULT_MAINTENANCE_OPTIONS, type MaintenanceDeps, type MaintenanceOptions } from './deps.js';
export { runMaintenance, type RunHooks } from './run.js';

export type MaintenanceHandler = (event: unknown) => Promise<Reply<unknown>>;

export function createMaintenanceHandler(ctx: BrokerContext, log: Logger = jsonLogger, options: Partial<MaintenanceOptions> = {}): MaintenanceHandler {
  const deps = createMaintenanceDeps(ctx, log, options);
  return (event) => toReply(async () => runMaintenance(deps, toRunRequest(parseRequest(maintenanceRequest, event, 'maintenance'))), log);
}
