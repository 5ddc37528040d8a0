/** The group function: consumer group coordinator, offset commits, group administration. */
import { createGroupHandler } from '../lib/broker/groups/index.js';
import { bootstrap } from './bootstrap.js';

export const handler = createGroupHandler(bootstrap('group'));
