/**
 * Builds a connector's handler from its environment: the connector's
 * config (CONNECTOR_ENV, written by the construct), the AWS clients, the
 * connector store in the partitions table, and the broker in process (the
 * dead-letter topic, a source's topic). Clients are made once per instance.
 */
import { createDynamoDbClient, createS3Client } from '../aws/clients.js';
import { jsonLogger } from '../broker/dispatch.js';
import { EmbeddedTransport } from '../client/transports/embedded.js';
import { loadRuntimeConfig } from '../config/runtime-config.js';
import { NO_FAULTS } from '../faults.js';
import { CONNECTOR_ENV, TABLE_ROLES, type TableRole } from '../names.js';
import { ConnectorStore } from '../storage/connector-store.js';
import { captureChanges, type CaptureReport } from './cdc/dynamodb-source.js';
import { parseConnectorConfig, type ConnectorConfig, type RawConnectorConfig } from './config/connector-config.js';
import { handleSourceEvent, type SourceReport } from './s3-source/s3-source.js';
import { createSinkHandler, type SinkHandler } from './sink-handler.js';

export function connectorConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RawConnectorConfig {
  const json = env[CONNECTOR_ENV];
  if (json === undefined || json === '') throw new Error(`${CONNECTOR_ENV} is not set: the function has no connector`);
  const raw: unknown = JSON.parse(json);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${CONNECTOR_ENV} is not a config object`);
  return raw as RawConnectorConfig;
}

function runtimeOf(env: NodeJS.ProcessEnv) {
  const runtime = loadRuntimeConfig('trigger', env);
  const dynamodb = createDynamoDbClient();
  const s3 = createS3Client();
  const tables = Object.fromEntries(TABLE_ROLES.map((role) => [role, runtime.tables[role] ?? ''])) as Record<TableRole, string>;
  const broker = new EmbeddedTransport({ dynamodb, s3, tables, bucket: runtime.bucket ?? '' });
  return { s3, broker, store: new ConnectorStore(dynamodb, tables.partitions) };
}

function configOf<C extends ConnectorConfig['connectorClass']>(env: NodeJS.ProcessEnv, connectorClass: C): Extract<ConnectorConfig, { connectorClass: C }> {
  const config = parseConnectorConfig(connectorConfigFromEnv(env));
  if (config.connectorClass !== connectorClass) throw new Error(`This function runs ${connectorClass} connectors, not ${config.connectorClass}`);
  return config as Extract<ConnectorConfig, { connectorClass: C }>;
}

export function sinkFunctionFromEnv(env: NodeJS.ProcessEnv = process.env): SinkHandler {
  const config = configOf(env, 'S3Sink');
  const { s3, broker, store } = runtimeOf(env);
  return createSinkHandler({ s3, store, broker, faults: NO_FAULTS, now: Date.now, log: jsonLogger }, config);
}

export function dynamoDbSourceFunctionFromEnv(env: NodeJS.ProcessEnv = process.env): (event: unknown) => Promise<CaptureReport> {
  const config = configOf(env, 'DynamoDbSource');
  const { broker, store } = runtimeOf(env);
  return (event) => captureChanges({ broker, store, now: Date.now, log: jsonLogger }, config, event);
}

export function s3SourceFunctionFromEnv(env: NodeJS.ProcessEnv = process.env): (event: unknown) => Promise<SourceReport> {
  const config = configOf(env, 'S3Source');
  const { s3, broker, store } = runtimeOf(env);
  return (event) => handleSourceEvent({ s3, broker, store, now: Date.now, log: jsonLogger }, config, event);
}
