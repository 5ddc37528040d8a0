/** `kafkaless gateway`: the Kafka protocol over a stack, the broker running in this process. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { startGatewayOverStack, untilSignalled } from '../../lib/gateway/gateway-over-stack.js';
import { deployedResources, localResources } from './gateway-resources.js';
import { portOption } from './port-option.js';

interface GatewayCliOptions {
  readonly port: number;
  readonly host: string;
  readonly advertisedHost?: string;
}

export function registerGateway(program: Command): void {
  program
    .command('gateway')
    .description('serve the Kafka protocol (docs/GATEWAY.md) over the running local stack, or a deployed one with --stack (with this machine\'s AWS credentials)')
    .option('--port <port>', 'port to listen on (0: a free one)', portOption('--port'), 9092)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--advertised-host <host>', 'host clients are told to connect to (default: --host)')
    .action(async (options: GatewayCliOptions) => {
      const globals = program.opts<{ stack?: string; region?: string }>();
      const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
      const resources = globals.stack !== undefined ? await deployedResources(globals.stack, globals.region) : localResources(process.cwd(), packageRoot);
      const gateway = await startGatewayOverStack(resources, {
        host: options.host,
        port: options.port,
        ...(options.advertisedHost !== undefined ? { advertisedHost: options.advertisedHost } : {}),
      });
      process.stdout.write(`Kafka gateway for ${resources.what} listening on ${gateway.host}:${gateway.port}. Press Ctrl+C to stop.\n`);
      await untilSignalled(() => gateway.close());
    });
}
