/** The fetch function: reads record batches; lists offsets. */
import { createFetchHandler } from '../lib/broker/fetch/index.js';
import { bootstrap } from './bootstrap.js';

export const handler = createFetchHandler(bootstrap('fetch'));
