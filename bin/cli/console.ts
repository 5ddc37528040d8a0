/** `kafkaless console`: the web console on 127.0.0.1 over the running local stack, or a deployed one with --stack. */
import type { Command } from 'commander';
import { startConsole } from '../../lib/console/console-server.js';
import { untilSignalled } from '../../lib/gateway/gateway-over-stack.js';
import { connect } from './connect.js';
import { portOption } from './port-option.js';

export function registerConsole(program: Command): void {
  program
    .command('console')
    .description("serve the web console (docs/CONSOLE.md) on 127.0.0.1 over the running local stack, or a deployed one with --stack (with this machine's AWS credentials, which stay in this process)")
    .option('--port <port>', 'port to listen on at 127.0.0.1 (0: a free one)', portOption('--port'), 8080)
    .action(async ({ port }: { port: number }) => {
      const globals = program.opts<{ stack?: string; region?: string }>();
      const kafkaless = connect(globals);
      const server = await startConsole({ kafkaless, port });
      const what = globals.stack !== undefined ? `stack ${globals.stack}` : 'the local stack';
      process.stdout.write(`Web console for ${what} at ${server.url} . Press Ctrl+C to stop.\n`);
      await untilSignalled(async () => {
        await server.close();
        await kafkaless.close();
      });
    });
}
