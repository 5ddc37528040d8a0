/**
 * What `kafkaless local` prints once the stack is up: where each service
 * answers, how to point an SDK at it, and commands to try.
 */
import { LOCAL_CREDENTIALS } from '../aws/clients.js';
import type { LocalStackState } from './local-state.js';

export function environmentFor(state: LocalStackState): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_LAMBDA: state.endpoints.lambda,
    AWS_ENDPOINT_URL_DYNAMODB: state.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: state.endpoints.s3,
    AWS_REGION: state.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
}

export function readyBanner(state: LocalStackState, dataDir: string): string {
  const functions = Object.values(state.functions).join(', ') || '(none)';
  const tables = Object.values(state.tables).join(', ') || '(none)';
  const exports = Object.entries(environmentFor(state)).map(([name, value]) => `  export ${name}=${value}`);
  return [
    'kafkaless local stack is ready.',
    '',
    `  Lambda    ${state.endpoints.lambda}  functions: ${functions}`,
    `  DynamoDB  ${state.endpoints.dynamodb}  tables: ${tables}`,
    `  S3        ${state.endpoints.s3}  bucket: ${state.bucket ?? '(none)'}`,
    ...(state.endpoints.kafka !== undefined ? [`  Kafka     ${state.endpoints.kafka}  the Kafka protocol, for Kafka clients (docs/GATEWAY.md)`] : []),
    ...(state.endpoints.console !== undefined ? [`  Console   ${state.endpoints.console}  the web console: topics, messages, groups (docs/CONSOLE.md)`] : []),
    '',
    'Point an AWS SDK or the AWS CLI at it (any credentials are accepted):',
    ...exports,
    '',
    'Try:',
    '  npx kafkaless topics create orders --partitions 3',
    '  npx kafkaless topics list',
    ...(state.endpoints.kafka !== undefined ? [`  kcat -b ${state.endpoints.kafka} -L`] : []),
    '',
    `Data is kept in ${dataDir} between starts. Press Ctrl+C to stop.`,
    '',
  ].join('\n');
}
