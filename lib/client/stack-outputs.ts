/**
 * Finds a deployed stack's parts from its CloudFormation outputs: its
 * functions, and its connectors for `kafkaless connect --stack`. The
 * CloudFormation client loads on first use: a client given function names
 * never evaluates it.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { parseConnectorList, type LocalConnector } from '../config/local-stack-state.js';
import { KafkalessError } from '../errors.js';
import { FUNCTION_ROLES, OUTPUTS, type FunctionRole } from '../names.js';

/** A stack's outputs, key → value. */
export type StackOutputs = Readonly<Record<string, string>>;

export interface StackOutputsOptions {
  readonly region?: string;
  readonly client?: CloudFormationClient;
}

export async function readStackOutputs(stackName: string, options: StackOutputsOptions = {}): Promise<StackOutputs> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const client = options.client ?? new CloudFormationClient(options.region !== undefined ? { region: options.region } : {});
  try {
    const out = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs: Record<string, string> = {};
    for (const o of out.Stacks?.[0]?.Outputs ?? []) if (o.OutputKey !== undefined && o.OutputValue !== undefined) outputs[o.OutputKey] = o.OutputValue;
    return outputs;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new KafkalessError('InvalidRequest', `Could not read stack '${stackName}': ${message}. Is it deployed in this account and region?`, { cause: err });
  } finally {
    if (options.client === undefined) client.destroy();
  }
}

export async function functionsFromStack(stackName: string, options: StackOutputsOptions = {}): Promise<Partial<Record<FunctionRole, string>>> {
  const outputs = await readStackOutputs(stackName, options);
  const functions: Partial<Record<FunctionRole, string>> = {};
  for (const role of FUNCTION_ROLES) {
    const value = outputs[OUTPUTS.functionName(role)];
    if (value !== undefined) functions[role] = value;
  }
  return functions;
}

/** What `kafkaless connect` manages in a stack: its connectors, the table holding their state, the trigger that wakes a sink. */
export interface StackConnectors {
  readonly connectors: readonly LocalConnector[];
  readonly partitionsTable: string;
  readonly triggerFunction?: string;
}

/** A deployed stack's connectors, from the outputs the construct writes (none when it declares none). */
export function connectorsFromOutputs(stackName: string, outputs: StackOutputs): StackConnectors {
  const partitionsTable = outputs[OUTPUTS.tableName('partitions')];
  if (partitionsTable === undefined) {
    throw new KafkalessError('InvalidRequest', `Stack '${stackName}' has no ${OUTPUTS.tableName('partitions')} output: is it a KafkalessStack?`);
  }
  const json = outputs[OUTPUTS.connectors];
  let connectors: LocalConnector[] | undefined = [];
  if (json !== undefined) {
    try {
      connectors = parseConnectorList(JSON.parse(json));
    } catch {
      connectors = undefined;
    }
  }
  if (connectors === undefined) throw new KafkalessError('InvalidRequest', `Stack '${stackName}': its ${OUTPUTS.connectors} output is not a list of connectors`);
  const triggerFunction = outputs[OUTPUTS.functionName('trigger')];
  return { connectors, partitionsTable, ...(triggerFunction !== undefined ? { triggerFunction } : {}) };
}
