/**
 * One broker function: its bundle, its own IAM role with exactly its data
 * permissions, and its log group.
 */
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FUNCTIONS, functionConstructId } from '../names.js';
import type { FunctionRole } from '../names.js';
import { BUNDLING, HANDLER_EXPORT, RUNTIME } from './defaults.js';
import type { Permission } from './permissions.js';
import { resolveHandlerEntry } from './project-root.js';

/** Writing to its own log group: all a function needs from CloudWatch Logs. */
export const LOG_WRITE_ACTIONS: readonly string[] = ['logs:CreateLogStream', 'logs:PutLogEvents'];

export interface BrokerFunctionOptions {
  readonly projectRoot: string;
  readonly lockFile?: string;
  readonly memorySizeMb: number;
  readonly timeout: Duration;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly functionName?: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly permissions: readonly Permission[];
}

export interface BrokerFunction {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
}

function createRole(scope: Construct, id: string, role: FunctionRole, permissions: readonly Permission[]): Role {
  const iamRole = new Role(scope, `${id}Role`, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `kafkaless ${role} function: ${FUNCTIONS[role].description}`,
  });
  for (const permission of permissions) {
    iamRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...permission.actions], resources: [...permission.resources] }),
    );
  }
  return iamRole;
}

export function createBrokerFunction(scope: Construct, role: FunctionRole, options: BrokerFunctionOptions): BrokerFunction {
  const id = functionConstructId(role);
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    retention: options.logRetention,
    removalPolicy: options.removalPolicy,
  });
  const logPermission: Permission = { actions: LOG_WRITE_ACTIONS, resources: [logGroup.logGroupArn] };
  const iamRole = createRole(scope, id, role, [logPermission, ...options.permissions]);
  const fn = new NodejsFunction(scope, id, {
    entry: resolveHandlerEntry(options.projectRoot, role),
    handler: HANDLER_EXPORT,
    ...(options.lockFile === undefined ? {} : { projectRoot: options.projectRoot, depsLockFilePath: options.lockFile }),
    runtime: RUNTIME,
    architecture: Architecture.ARM_64,
    memorySize: options.memorySizeMb,
    timeout: options.timeout,
    description: FUNCTIONS[role].description,
    ...(options.functionName === undefined ? {} : { functionName: options.functionName }),
    role: iamRole,
    logGroup,
    environment: { ...options.environment },
    bundling: BUNDLING,
  });
  return { fn, role: iamRole, logGroup };
}
