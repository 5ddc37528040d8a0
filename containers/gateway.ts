/**
 * The Kafka gateway's container entry (containers/gateway.Dockerfile): the
 * broker functions of GATEWAY_ROLES in this process over the stack's tables
 * and bucket, named by the same environment the functions get; listens on
 * every interface and advertises the load balancer (this host's name when
 * none is given); produce requests share objects and commits within its
 * linger window. With a users secret, clients authenticate with SASL
 * against its users, re-read every 5 minutes. SIGTERM (ECS stopping the
 * task) closes the listener and the connections, then exits.
 */
import { hostname } from 'node:os';
import { jsonLogger } from '../lib/broker/dispatch.js';
import { loadGatewayConfig, type GatewayConfig } from '../lib/config/gateway-config.js';
import { reportConnections } from '../lib/gateway/connection-metrics.js';
import { startGatewayOverStack, untilSignalled } from '../lib/gateway/gateway-over-stack.js';
import { reloadingUsers, type ReloadingUsers } from '../lib/gateway/sasl/users-reload.js';
import { secretReader } from '../lib/gateway/sasl/users-secret.js';

async function serve(config: GatewayConfig): Promise<void> {
  const users: ReloadingUsers | undefined =
    config.sasl !== undefined ? await reloadingUsers({ read: secretReader(config.sasl.usersSecretArn), source: `secret ${config.sasl.usersSecretArn}`, log: jsonLogger }) : undefined;
  const gateway = await startGatewayOverStack(
    { aws: {}, ...config },
    {
      host: '0.0.0.0',
      port: config.port,
      advertisedHost: config.advertisedHost ?? hostname(),
      aggregation: config.aggregation.lingerMs > 0 ? config.aggregation : false,
      ...(config.advertisedPort !== undefined ? { advertisedPort: config.advertisedPort } : {}),
      ...(users !== undefined ? { sasl: { users: users.store, ...(config.sasl?.mechanisms !== undefined ? { mechanisms: config.sasl.mechanisms } : {}) } } : {}),
    },
  );
  const stopMetrics = config.metrics !== undefined ? reportConnections({ ...config.metrics, connections: () => gateway.connections() }) : () => undefined;
  jsonLogger('info', 'Kafka gateway listening', { port: gateway.port, advertised: `${config.advertisedHost ?? hostname()}:${config.advertisedPort ?? gateway.port}`, sasl: users !== undefined ? users.store.size() : 'off' });
  await untilSignalled(async () => {
    stopMetrics();
    users?.stop();
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
