/** The gateway's only way into the broker: one function call in process, its typed error thrown. */
import type { BrokerFunctions } from '../broker/functions.js';
import { errorFromPayload } from '../errors.js';
import type { FunctionRole } from '../names.js';

export interface BrokerCalls {
  call<T>(role: FunctionRole, request: object): Promise<T>;
}

export function brokerCalls(functions: BrokerFunctions): BrokerCalls {
  return {
    async call<T>(role: FunctionRole, request: object): Promise<T> {
      const reply = await functions.invoke(role, request);
      if (!reply.ok) throw errorFromPayload(reply.error);
      return reply.result as T;
    },
  };
}
