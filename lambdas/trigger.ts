/** The trigger function: partition-head changes in, new records delivered to the subscribed functions. */
import { triggerFunctionFromEnv } from '../lib/triggers/trigger-function.js';

export const handler = triggerFunctionFromEnv();
