/**
 * The Kafka-protocol gateway: a TCP (or TLS) server that answers as the only broker
 * of the cluster, leader of every partition, and runs each request through
 * the broker in this process. It keeps no state of its own: any number of
 * instances over the same tables and bucket answer alike. With users, each
 * connection authenticates with SASL first (lib/gateway/sasl/).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { BrokerFunctions } from '../broker/functions.js';
import { answerRequest } from './answer-request.js';
import { brokerCalls } from './broker-calls.js';
import { jsonLogger, type Logger } from '../broker/dispatch.js';
import { serveConnection } from './connection.js';
import { SaslSession, type SaslOptions } from './sasl/sasl-session.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../wire/index.js';

/** Kafka's sasl.server.max.receive.size: the largest frame of a connection yet to authenticate. */
export const SASL_MAX_RECEIVE_BYTES = 524_288;

export interface GatewayTls {
  /** PEM certificate chain and private key. */
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

export interface GatewayOptions {
  readonly functions: BrokerFunctions;
  /** Where to listen; 127.0.0.1 unless given. */
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** The host and port clients are told to connect to (Metadata); the listening ones unless given. */
  readonly advertisedHost?: string;
  readonly advertisedPort?: number;
  /** The cluster id Metadata and DescribeCluster answer; the stack's own (the one admin describeCluster answers) unless given. */
  readonly clusterId?: string;
  readonly nodeId?: number;
  /** Kafka's socket.request.max.bytes. */
  readonly maxFrameBytes?: number;
  /** Where connection closes are told; by default only unexpected failures, as JSON lines on stderr. */
  readonly log?: Logger;
  /** Require SASL authentication against these users (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512); none by default. */
  readonly sasl?: SaslOptions;
  /** Serve TLS with this certificate instead of plain TCP. */
  readonly tls?: GatewayTls;
}

export interface KafkaGateway {
  readonly host: string;
  readonly port: number;
  /** Client connections open now. */
  connections(): number;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<KafkaGateway> {
  const host = options.host ?? '127.0.0.1';
  const log: Logger = options.log ?? ((level, message, fields) => (level === 'error' ? jsonLogger(level, message, fields) : undefined));
  const sockets = new Set<Socket>();
  const broker = brokerCalls(options.functions);
  let node = { nodeId: options.nodeId ?? 0, host: options.advertisedHost ?? host, port: options.advertisedPort ?? 0 };
  const clusterId = options.clusterId ?? options.functions.clusterId();
  const onConnection = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const clientHost = kafkaClientHost(socket.remoteAddress);
    const sasl = new SaslSession(options.sasl);
    const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    // Until it authenticates, a connection's frames are held to Kafka's sasl.server.max.receive.size.
    const frameLimit = () => (sasl.authenticated ? maxFrameBytes : Math.min(maxFrameBytes, SASL_MAX_RECEIVE_BYTES));
    serveConnection(socket, (payload) => answerRequest(payload, { broker, node, clusterId, clientHost, sasl }), { maxFrameBytes: frameLimit, log });
  };
  const server: Server = options.tls !== undefined ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onConnection) : createServer(onConnection);
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
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A client's address as a Kafka broker reports it (Java's InetAddress form, `/127.0.0.1`), IPv4-mapped IPv6 as IPv4. */
function kafkaClientHost(remoteAddress: string | undefined): string {
  return `/${(remoteAddress ?? '').replace(/^::ffff:/, '')}`;
}
