/** The maintenance function: segment compaction, retention, log compaction, garbage collection; run by schedule or by hand. */
import { createMaintenanceHandler } from '../lib/broker/maintenance/index.js';
import { bootstrap } from './bootstrap.js';

export const handler = createMaintenanceHandler(bootstrap('maintenance'));
