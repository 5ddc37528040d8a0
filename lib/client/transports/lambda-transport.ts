/**
 * The Lambda transport: invokes kafkaless's functions with the AWS SDK's
 * Lambda client — against AWS, LocalStack, or the local stack alike.
 * Function names are given, or read from a deployed stack's outputs.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { InfrastructureError, KafkalessError } from '../../errors.js';
import type { FunctionRole } from '../../names.js';
import type { InvokeOptions, Transport } from '../transport.js';
import { LAMBDA_ASYNC_PAYLOAD_BYTES, LAMBDA_SYNC_PAYLOAD_BYTES } from '../../limits.js';

export interface LambdaTransportOptions {
  /** Function name or ARN per role. */
  readonly functions: Readonly<Partial<Record<FunctionRole, string>>>;
  /** A client to use (e.g. with an endpoint override); default: one built from the environment. */
  readonly client?: LambdaClient;
  readonly region?: string;
  readonly endpoint?: string;
  /** Default: the SDK's credential chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Attempts the SDK makes per invocation. @default the SDK's */
  readonly maxAttempts?: number;
}

export class LambdaTransport implements Transport {
  private readonly client: LambdaClient;
  private readonly ownsClient: boolean;

  constructor(private readonly options: LambdaTransportOptions) {
    this.ownsClient = options.client === undefined;
    this.client =
      options.client ??
      new LambdaClient({
        ...(options.region !== undefined ? { region: options.region } : {}),
        ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
        ...(options.credentials !== undefined ? { credentials: { ...options.credentials } } : {}),
        ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
      });
  }

  async invoke(role: FunctionRole, request: object, invokeOptions: InvokeOptions = {}): Promise<unknown> {
    const functionName = this.options.functions[role];
    if (functionName === undefined) {
      throw new KafkalessError('InvalidRequest', `No ${role} function is configured for this client; pass functions.${role} or a stack name.`);
    }
    const payload = Buffer.from(JSON.stringify(request));
    const limit = invokeOptions.async === true ? LAMBDA_ASYNC_PAYLOAD_BYTES : LAMBDA_SYNC_PAYLOAD_BYTES;
    if (payload.length > limit) {
      throw new KafkalessError('MessageSizeTooLarge', `The request is ${payload.length} bytes; a Lambda invocation carries at most ${limit}. Send fewer or smaller records per call.`);
    }
    let out;
    try {
      out = await this.client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: invokeOptions.async === true ? 'Event' : 'RequestResponse',
          Payload: payload,
        }),
      );
    } catch (err) {
      throw translateInvokeError(err, role, functionName);
    }
    if (invokeOptions.async === true) return undefined;
    const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    if (out.FunctionError !== undefined) {
      const detail = parseFunctionError(text);
      throw new InfrastructureError(`The ${role} function (${functionName}) failed: ${detail}`, { retriable: true });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new KafkalessError('UnknownServerError', `The ${role} function answered with invalid JSON`);
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }
}

function parseFunctionError(text: string): string {
  try {
    const body = JSON.parse(text) as { errorType?: string; errorMessage?: string };
    return `${body.errorType ?? 'Error'}: ${body.errorMessage ?? text}`;
  } catch {
    return text;
  }
}

function translateInvokeError(err: unknown, role: FunctionRole, functionName: string): Error {
  const name = typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : 'Error';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'ResourceNotFoundException') {
    return new KafkalessError('InvalidRequest', `The ${role} function '${functionName}' was not found: is the stack deployed (or the local stack running)?`, { cause: err });
  }
  if (name === 'RequestTooLargeException') {
    return new KafkalessError('MessageSizeTooLarge', `The request is larger than Lambda accepts: ${message}`, { cause: err });
  }
  const retriable = name === 'TooManyRequestsException' || name === 'ServiceException' || name === 'EC2ThrottledException' || !('$metadata' in Object(err));
  return new InfrastructureError(`Invoking the ${role} function failed (${name}): ${message}`, { retriable, cause: err });
}
