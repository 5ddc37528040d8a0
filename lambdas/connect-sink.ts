/** A sink connector's function (docs/CONNECT.md): a subscription's batch in, written to the sink, the answer says what is done. */
import { sinkFunctionFromEnv } from '../lib/connect/connector-function.js';

export const handler = sinkFunctionFromEnv();
