/**
 * AWS clients, built in one place and passed down (never created deep inside).
 *
 * Endpoints follow the SDK's own variables (`AWS_ENDPOINT_URL`,
 * `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_LAMBDA`),
 * which is also how LocalStack and the local stack are reached. S3 clients
 * talking to a non-AWS endpoint use path-style addressing.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsCredentialIdentity } from '@aws-sdk/types';

export interface AwsEndpoints {
  readonly dynamodb?: string;
  readonly s3?: string;
  readonly lambda?: string;
}

export interface AwsClientOptions {
  readonly region?: string;
  readonly endpoints?: AwsEndpoints;
  readonly credentials?: AwsCredentialIdentity;
  /** Retries the SDK makes itself before an error reaches our retry helper. */
  readonly maxAttempts?: number;
}

export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
}

/** The endpoints named by the SDK's environment variables, if any. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsEndpoints {
  const shared = env.AWS_ENDPOINT_URL;
  const pick = (specific: string | undefined): string | undefined => specific ?? shared;
  const endpoints: { dynamodb?: string; s3?: string; lambda?: string } = {};
  const dynamodb = pick(env.AWS_ENDPOINT_URL_DYNAMODB);
  const s3 = pick(env.AWS_ENDPOINT_URL_S3);
  const lambda = pick(env.AWS_ENDPOINT_URL_LAMBDA);
  if (dynamodb !== undefined) endpoints.dynamodb = dynamodb;
  if (s3 !== undefined) endpoints.s3 = s3;
  if (lambda !== undefined) endpoints.lambda = lambda;
  return endpoints;
}

/** The settings every client shares (also used by message-clients.ts). */
export function common(options: AwsClientOptions, endpoint: string | undefined) {
  return {
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    // A copy: the SDK writes attribution fields onto the credentials object.
    ...(options.credentials !== undefined ? { credentials: { ...options.credentials } } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  };
}

export function createDynamoDbClient(options: AwsClientOptions = {}): DynamoDBClient {
  const endpoint = options.endpoints?.dynamodb ?? endpointsFromEnv().dynamodb;
  return new DynamoDBClient(common(options, endpoint));
}

export function createS3Client(options: AwsClientOptions = {}): S3Client {
  const endpoint = options.endpoints?.s3 ?? endpointsFromEnv().s3;
  return new S3Client({
    ...common(options, endpoint),
    // Local S3 servers and LocalStack answer path-style only.
    forcePathStyle: endpoint !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function createLambdaClient(options: AwsClientOptions = {}): LambdaClient {
  const endpoint = options.endpoints?.lambda ?? endpointsFromEnv().lambda;
  return new LambdaClient(common(options, endpoint));
}

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  return { dynamodb: createDynamoDbClient(options), s3: createS3Client(options) };
}

export { LOCAL_CREDENTIALS, LOCAL_REGION } from '../config/local-stack-state.js';
