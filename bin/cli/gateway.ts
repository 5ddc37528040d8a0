/** `kafkaless gateway`: the Kafka protocol over a stack, the broker running in this process. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { startGatewayOverStack, untilSignalled } from '../../lib/gateway/gateway-over-stack.js';
import { deployedResources, localResources } from './gateway-resources.js';
import { UserStore } from '../../lib/gateway/sasl/user-store.js';
import { CliUsageError } from './connect.js';
import { GATEWAY_LINGER_BYTES, GATEWAY_LINGER_MS } from '../../lib/limits.js';
import { portOption, wholeOption } from './port-option.js';
import { usersFrom } from './users-file-option.js';

interface GatewayCliOptions {
  readonly port: number;
  readonly host: string;
  readonly advertisedHost?: string;
  readonly users?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly lingerMs: number;
  readonly lingerMaxBytes: number;
}

async function tlsFrom(options: GatewayCliOptions): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  if (options.tlsCert === undefined && options.tlsKey === undefined) return undefined;
  if (options.tlsCert === undefined || options.tlsKey === undefined) throw new CliUsageError('--tls-cert and --tls-key go together: give the PEM certificate and its private key');
  const [cert, key] = await Promise.all([readFile(options.tlsCert), readFile(options.tlsKey)]);
  return { cert, key };
}

export function registerGateway(program: Command): void {
  program
    .command('gateway')
    .description('serve the Kafka protocol (docs/GATEWAY.md) over the running local stack, or a deployed one with --stack (with this machine\'s AWS credentials)')
    .option('--port <port>', 'port to listen on (0: a free one)', portOption('--port'), 9092)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--advertised-host <host>', 'host clients are told to connect to (default: --host)')
    .option('--users <file>', 'require SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) against the users of this file (`kafkaless users add`)')
    .option('--tls-cert <file>', 'serve TLS with this PEM certificate (chain) instead of plain TCP; needs --tls-key')
    .option('--tls-key <file>', "the certificate's PEM private key")
    .option('--linger-ms <ms>', 'how long produce requests from every connection are gathered into one object and commit (0: each alone)', wholeOption('--linger-ms', 0, GATEWAY_LINGER_MS.max), GATEWAY_LINGER_MS.default)
    .option('--linger-max-bytes <bytes>', 'batch bytes at which a produce window is written before its linger ends', wholeOption('--linger-max-bytes', GATEWAY_LINGER_BYTES.min, GATEWAY_LINGER_BYTES.max), GATEWAY_LINGER_BYTES.default)
    .action(async (options: GatewayCliOptions) => {
      const users = options.users !== undefined ? await usersFrom(options.users) : undefined;
      const tls = await tlsFrom(options);
      const globals = program.opts<{ stack?: string; region?: string }>();
      const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
      const resources = globals.stack !== undefined ? await deployedResources(globals.stack, globals.region) : localResources(process.cwd(), packageRoot);
      const gateway = await startGatewayOverStack(resources, {
        host: options.host,
        port: options.port,
        ...(options.advertisedHost !== undefined ? { advertisedHost: options.advertisedHost } : {}),
        ...(users !== undefined ? { sasl: { users: new UserStore(users) } } : {}),
        ...(tls !== undefined ? { tls } : {}),
        aggregation: options.lingerMs > 0 ? { lingerMs: options.lingerMs, maxBytes: options.lingerMaxBytes } : false,
      });
      const security = `${tls !== undefined ? 'TLS' : 'plain TCP'}, ${users !== undefined ? `SASL with ${users.size} users` : 'no authentication'}`;
      process.stdout.write(`Kafka gateway for ${resources.what} listening on ${gateway.host}:${gateway.port}. ${security}. Press Ctrl+C to stop.\n`);
      await untilSignalled(() => gateway.close());
    });
}
