/**
 * The Kafka-protocol gateway: a TCP server that answers as the only broker
 * of the cluster, leader of every partition, and runs each request through
 * the broker in this process. It keeps no state of its own: any number of
 * instances over the same tables and bucket answer alike.
 */
import { createServer, type Socket } from 'node:net';
import type { BrokerFunctions } from '../broker/functions.js';
import { answerRequest } from './answer-request.js';
import { brokerCalls } from './broker-calls.js';
import { jsonLogger, type Logger } from '../broker/dispatch.js';
import { serveConnection } from './connection.js';

export interface GatewayOptions {
  readonly functions: BrokerFunctions;
  /** Where to listen; 127.0.0.1 unless given. */
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** The host and port clients are told to connect to (Metadata); the listening ones unless given. */
  readonly advertisedHost?: string;
  readonly advertisedPort?: number;
  readonly clusterId?: string;
  readonly nodeId?: number;
  /** Kafka's socket.request.max.bytes. */
  readonly maxFrameBytes?: number;
  /** Where connection closes are told; by default only unexpected failures, as JSON lines on stderr. */
  readonly log?: Logger;
}

export interface KafkaGateway {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<KafkaGateway> {
  const host = options.host ?? '127.0.0.1';
  const log: Logger = options.log ?? ((level, message, fields) => (level === 'error' ? jsonLogger(level, message, fields) : undefined));
  const sockets = new Set<Socket>();
  const broker = brokerCalls(options.functions);
  let node = { nodeId: options.nodeId ?? 0, host: options.advertisedHost ?? host, port: options.advertisedPort ?? 0 };
  const clusterId = options.clusterId ?? 'kafkaless';
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, (payload) => answerRequest(payload, { broker, node, clusterId, clientHost: `/${socket.remoteAddress ?? ''}` }), { ...(options.maxFrameBytes !== undefined ? { maxFrameBytes: options.maxFrameBytes } : {}), log });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
  node = { ...node, port: options.advertisedPort ?? port };
  return {
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
