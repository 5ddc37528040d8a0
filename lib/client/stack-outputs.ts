/**
 * Finds a deployed stack's functions from its CloudFormation outputs. The
 * CloudFormation client loads on first use: a client given function names
 * never evaluates it.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { KafkalessError } from '../errors.js';
import { FUNCTION_ROLES, OUTPUTS, type FunctionRole } from '../names.js';

export async function functionsFromStack(stackName: string, options: { region?: string; client?: CloudFormationClient } = {}): Promise<Partial<Record<FunctionRole, string>>> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const client = options.client ?? new CloudFormationClient(options.region !== undefined ? { region: options.region } : {});
  try {
    const out = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs = out.Stacks?.[0]?.Outputs ?? [];
    const functions: Partial<Record<FunctionRole, string>> = {};
    for (const role of FUNCTION_ROLES) {
      const value = outputs.find((o) => o.OutputKey === OUTPUTS.functionName(role))?.OutputValue;
      if (value !== undefined) functions[role] = value;
    }
    return functions;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new KafkalessError('InvalidRequest', `Could not read stack '${stackName}': ${message}. Is it deployed in this account and region?`, { cause: err });
  } finally {
    if (options.client === undefined) client.destroy();
  }
}
