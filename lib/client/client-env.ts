/**
 * What a client reads from its environment when it is given nothing else:
 * the function names (`KAFKALESS_PRODUCE_FUNCTION`, …, one per role) or a
 * deployed stack's name (`KAFKALESS_STACK_NAME`). Region, endpoint and
 * credentials come from the AWS SDK's own variables (`AWS_REGION`,
 * `AWS_ENDPOINT_URL_LAMBDA`, `AWS_ACCESS_KEY_ID`, …).
 */
import { FUNCTION_ROLES, type FunctionRole } from '../names.js';

export const STACK_NAME_ENV = 'KAFKALESS_STACK_NAME';

/** `KAFKALESS_<ROLE>_FUNCTION`, e.g. `KAFKALESS_PRODUCE_FUNCTION`. */
export function functionEnvName(role: FunctionRole): string {
  return `KAFKALESS_${role.toUpperCase()}_FUNCTION`;
}

/** The function names the environment gives, by role (empty when it names none). */
export function functionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Record<FunctionRole, string>> {
  const functions: Partial<Record<FunctionRole, string>> = {};
  for (const role of FUNCTION_ROLES) {
    const name = env[functionEnvName(role)];
    if (name !== undefined && name !== '') functions[role] = name;
  }
  return functions;
}

export function stackNameFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = env[STACK_NAME_ENV];
  return name === undefined || name === '' ? undefined : name;
}
