/**
 * `kafkaless local`: the embedded stack on this machine (what `npm start`
 * runs). Started in a project with a cdk.json (your app), it synthesizes and
 * serves that app's stack, its own functions and subscriptions included;
 * elsewhere, kafkaless's own stack.
 */
import type { Command } from 'commander';
import { findProjectRoot } from '../../lib/infra/project-root.js';
import { appProjectAt } from '../../lib/local/app-project.js';
import { CliUsageError } from './connect.js';
import { portOption } from './port-option.js';
import { usersFrom } from './users-file-option.js';

export function registerLocal(program: Command): void {
  program
    .command('local')
    .description(
      'run the whole system on this machine (what `npm start` runs): DynamoDB Local, an S3 server and every Lambda function of the stack ' +
        "(in a project with a cdk.json: that app's stack, with its own functions and subscriptions)",
    )
    .option('--kafka-port <port>', 'serve the Kafka protocol on 127.0.0.1 at this port (0 turns it off)', portOption('--kafka-port'), 9092)
    .option('--console-port <port>', 'serve the web console on 127.0.0.1 at this port (0 turns it off)', portOption('--console-port'), 8080)
    .option('--kafka-users <file>', 'require SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) from Kafka clients, against the users of this file (`kafkaless users add`)')
    .option('--stack <name>', "in your app: the stack to serve, when more than one holds the Kafkaless construct")
    .action(async ({ kafkaPort, consolePort, kafkaUsers, stack }: { kafkaPort: number; consolePort: number; kafkaUsers?: string; stack?: string }) => {
      const { missingLocalPackages } = await import('../../lib/local/local-packages.js');
      const missing = missingLocalPackages();
      if (missing !== undefined) throw new CliUsageError(missing);
      const users = kafkaUsers !== undefined ? await usersFrom(kafkaUsers) : undefined;
      const { runLocalStack } = await import('../../lib/local/local-stack.js');
      const kafkalessRoot = findProjectRoot(import.meta.url);
      const app = appProjectAt(process.cwd(), kafkalessRoot);
      if (stack !== undefined && app === undefined) throw new CliUsageError('--stack names a stack of your app: run kafkaless local in the folder of an app with a cdk.json');
      await runLocalStack(app?.root ?? kafkalessRoot, {
        kafkaPort,
        consolePort,
        ...(users !== undefined ? { kafkaUsers: users } : {}),
        ...(app !== undefined ? { app } : {}),
        ...(stack !== undefined ? { stackName: stack } : {}),
      });
    });
}
