/** The produce function: appends record batches; hands out producer ids. */
import { createProduceHandler } from '../lib/broker/produce/index.js';
import { bootstrap } from './bootstrap.js';

export const handler = createProduceHandler(bootstrap('produce'));
