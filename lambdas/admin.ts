/** The admin function: topic administration. */
import { createAdminHandler } from '../lib/broker/admin/index.js';
import { bootstrap } from './bootstrap.js';

export const handler = createAdminHandler(bootstrap('admin'));
