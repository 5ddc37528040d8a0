/**
 * The client's view of the local stack (`npm start`): its functions, its
 * Lambda endpoint and region, and the dummy credentials it accepts.
 */
import { KafkalessError } from '../errors.js';
import type { FunctionRole } from '../names.js';
import { findLocalStackState, LOCAL_CREDENTIALS, LOCAL_DIR } from '../config/local-stack-state.js';
import type { LambdaTransportOptions } from './transports/lambda-transport.js';

export interface LocalOptions {
  /** The directory to look for `.kafkaless/local.json` from, then upwards. @default process.cwd() */
  readonly from?: string;
}

/** Lambda transport options for the local stack found from `options.from`; a clear error when none runs. */
export function localTarget(options: LocalOptions = {}): LambdaTransportOptions & { readonly functions: Readonly<Partial<Record<FunctionRole, string>>> } {
  const from = options.from ?? process.cwd();
  const found = findLocalStackState(from);
  if (found === undefined) {
    throw new KafkalessError(
      'InvalidRequest',
      `No local stack is running: no ${LOCAL_DIR}/local.json of a live \`kafkaless local\` in ${from} or above. ` +
        'Start one with `npm start` (or `npx kafkaless local`), or name a deployed stack (stackName) or its functions.',
    );
  }
  const { state } = found;
  return {
    functions: state.functions,
    region: state.region,
    endpoint: state.endpoints.lambda,
    credentials: { ...LOCAL_CREDENTIALS },
    // A stopped stack fails the first call instead of after the SDK's retries.
    maxAttempts: 1,
  };
}
