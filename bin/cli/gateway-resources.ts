/**
 * What the gateway command serves: the tables, bucket and AWS endpoints of
 * the running local stack (its state file), or of a deployed stack (the
 * environment the stack gave its functions).
 */
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { createLambdaClient, LOCAL_CREDENTIALS, type AwsClientOptions } from '../../lib/aws/clients.js';
import { functionsFromStack } from '../../lib/client/stack-outputs.js';
import { findLocalStackState } from '../../lib/config/local-stack-state.js';
import { ENV, TABLE_ROLES, TABLES, type TableRole } from '../../lib/names.js';
import { CliUsageError } from './connect.js';

export interface GatewayResources {
  /** For the banner: which stack is served. */
  readonly what: string;
  readonly aws: AwsClientOptions;
  readonly tables: Partial<Record<TableRole, string>>;
  readonly bucket?: string;
}

export function localResources(cwd: string, packageRoot: string): GatewayResources {
  const found = findLocalStackState(cwd, [packageRoot]);
  if (found === undefined) {
    throw new CliUsageError('No local stack is running. Start one with `npm start` (or `npx kafkaless local`), or name a deployed stack with --stack NAME.');
  }
  const { state } = found;
  return {
    what: `the local stack in ${found.root}`,
    aws: { region: state.region, endpoints: { dynamodb: state.endpoints.dynamodb, s3: state.endpoints.s3 }, credentials: { ...LOCAL_CREDENTIALS } },
    tables: { ...state.tables },
    ...(state.bucket !== undefined ? { bucket: state.bucket } : {}),
  };
}

export async function deployedResources(stackName: string, region: string | undefined): Promise<GatewayResources> {
  const functions = await functionsFromStack(stackName, region !== undefined ? { region } : {});
  const lambda = createLambdaClient(region !== undefined ? { region } : {});
  const env: Record<string, string> = {};
  try {
    for (const name of Object.values(functions)) {
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
      Object.assign(env, config.Environment?.Variables ?? {});
    }
  } finally {
    lambda.destroy();
  }
  const tables: Partial<Record<TableRole, string>> = {};
  for (const role of TABLE_ROLES) {
    const name = env[TABLES[role].env];
    if (name !== undefined) tables[role] = name;
  }
  const bucket = env[ENV.bucket];
  return { what: `stack ${stackName}`, aws: region !== undefined ? { region } : {}, tables, ...(bucket !== undefined ? { bucket } : {}) };
}
