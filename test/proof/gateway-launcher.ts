/**
 * A proof gateway: `kafkaless gateway` as the CLI starts it
 * (startGatewayOverStack, its defaults), over the run's tables and bucket,
 * but with AWS clients that inject the run's seeded faults and the broker's
 * fault points on. Started as a child process by gateway-fleet.ts, which
 * passes the settings as JSON in argv and talks to it over IPC: the parent
 * turns faults off and starts storms; the child reports the faults it
 * injected (batched every few milliseconds, so a SIGKILL loses only the
 * last few from the counts, never from the run).
 */
import { appendFileSync } from 'node:fs';
import { AwsFaultSwitch, installAwsFaults } from '../../lib/aws/fault-middleware.js';
import { FaultCounts, randomFaultInjector, seededRandom } from '../../lib/faults.js';
import { startGatewayOverStack } from '../../lib/gateway/gateway-over-stack.js';
import { awsClients } from './deployment.js';
import type { GatewayChildMessage, GatewayLaunch, GatewayParentMessage } from './gateway-messages.js';
import { deriveSeed } from './seeds.js';

const REPORT_EVERY_MS = 20;

/** Counts that also queue what they add, for the parent. */
class ReportedCounts extends FaultCounts {
  private pending = new Map<string, number>();

  override add(kind: string, n = 1): void {
    super.add(kind, n);
    this.pending.set(kind, (this.pending.get(kind) ?? 0) + n);
  }

  take(): Record<string, number> {
    const out = Object.fromEntries(this.pending);
    this.pending = new Map();
    return out;
  }
}

function send(message: GatewayChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const launch = JSON.parse(process.argv[2]!) as GatewayLaunch;
  const counts = new ReportedCounts();
  const sw = new AwsFaultSwitch(launch.awsFaults, counts);
  sw.enabled = launch.enabled;
  const clients = awsClients(launch.deployment.endpoints, launch.sdkMaxAttempts);
  installAwsFaults(clients.dynamodb, 'dynamodb', sw, seededRandom(deriveSeed(launch.seed, 'dynamodb')));
  installAwsFaults(clients.s3, 's3', sw, seededRandom(deriveSeed(launch.seed, 's3')));
  const faults = randomFaultInjector({ rates: launch.pointRates, random: seededRandom(deriveSeed(launch.seed, 'points')), counts, enabled: () => sw.enabled });
  const gateway = await startGatewayOverStack(
    { aws: {}, tables: launch.deployment.tables, bucket: launch.deployment.bucket, clients, faults },
    { port: launch.port, host: '127.0.0.1', log: (level, message, fields) => level === 'error' && appendFileSync(launch.logFile, `${JSON.stringify({ level, message, ...fields })}\n`) },
  );
  const report = setInterval(() => {
    const delta = counts.take();
    if (Object.keys(delta).length > 0) send({ kind: 'faults', counts: delta });
  }, REPORT_EVERY_MS);
  process.on('message', (m: GatewayParentMessage) => {
    if (m.kind === 'storm') sw.storm(m.durationMs);
    if (m.kind === 'enabled') sw.enabled = m.enabled;
    if (m.kind === 'close') {
      clearInterval(report);
      const delta = counts.take();
      void gateway.close().finally(() => {
        send({ kind: 'closed', counts: delta });
        process.disconnect();
      });
    }
  });
  send({ kind: 'listening', port: gateway.port });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
