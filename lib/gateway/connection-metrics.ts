/**
 * The gateway's open connections as a CloudWatch metric, written as one
 * embedded-metric-format log line a minute: on ECS the awslogs driver ships
 * the line and CloudWatch turns it into the metric the service scales on
 * (the average over tasks is connections per task).
 */
import { GATEWAY_METRICS } from '../names.js';

export const CONNECTIONS_METRIC = GATEWAY_METRICS.connections;
export const METRICS_INTERVAL_MS = 60_000;

export interface ConnectionMetricsOptions {
  readonly namespace: string;
  /** The value of the metric's only dimension, `Service`. */
  readonly service: string;
  readonly connections: () => number;
  readonly write?: (line: string) => void;
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/** One EMF line with the connections open now. */
export function connectionsLine(namespace: string, service: string, connections: number, timestampMs: number): string {
  return JSON.stringify({
    _aws: { Timestamp: timestampMs, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[GATEWAY_METRICS.dimension]], Metrics: [{ Name: CONNECTIONS_METRIC, Unit: 'Count' }] }] },
    [GATEWAY_METRICS.dimension]: service,
    [CONNECTIONS_METRIC]: connections,
  });
}

/** Writes the line now and every interval; returns what stops it. */
export function reportConnections(options: ConnectionMetricsOptions): () => void {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const report = () => write(connectionsLine(options.namespace, options.service, options.connections(), now()));
  report();
  const timer = setInterval(report, options.intervalMs ?? METRICS_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
