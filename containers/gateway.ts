/**
 * The Kafka gateway's container entry (containers/gateway.Dockerfile): the
 * broker functions of GATEWAY_ROLES in this process over the stack's tables
 * and bucket, named by the same environment the functions get; listens on
 * every interface and advertises the load balancer (this host's name when
 * none is given). SIGTERM (ECS stopping the task) closes the listener and
 * the connections, then exits.
 */
import { hostname } from 'node:os';
import { jsonLogger } from '../lib/broker/dispatch.js';
import { loadGatewayConfig, type GatewayConfig } from '../lib/config/gateway-config.js';
import { reportConnections } from '../lib/gateway/connection-metrics.js';
import { startGatewayOverStack, untilSignalled } from '../lib/gateway/gateway-over-stack.js';

async function serve(config: GatewayConfig): Promise<void> {
  const gateway = await startGatewayOverStack(
    { aws: {}, ...config },
    { host: '0.0.0.0', port: config.port, advertisedHost: config.advertisedHost ?? hostname(), ...(config.advertisedPort !== undefined ? { advertisedPort: config.advertisedPort } : {}) },
  );
  const stopMetrics = config.metrics !== undefined ? reportConnections({ ...config.metrics, connections: () => gateway.connections() }) : () => undefined;
  jsonLogger('info', 'Kafka gateway listening', { port: gateway.port, advertised: `${config.advertisedHost ?? hostname()}:${config.advertisedPort ?? gateway.port}` });
  await untilSignalled(async () => {
    stopMetrics();
    await gateway.close();
    jsonLogger('info', 'Kafka gateway stopped', {});
  });
}

try {
  await serve(loadGatewayConfig());
} catch (err) {
  jsonLogger('error', 'Kafka gateway failed to start', { error: err instanceof Error ? err.message : String(err) });
  process.exitCode = 1;
}
