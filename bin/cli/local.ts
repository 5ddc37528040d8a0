/** `kafkaless local`: the embedded stack on this machine (what `npm start` runs). */
import type { Command } from 'commander';
import { findProjectRoot } from '../../lib/infra/project-root.js';
import { CliUsageError } from './connect.js';
import { portOption } from './port-option.js';
import { usersFrom } from './users-file-option.js';

export function registerLocal(program: Command): void {
  program
    .command('local')
    .description('run the whole system on this machine (what `npm start` runs): DynamoDB Local, an S3 server and every Lambda function of the stack')
    .option('--kafka-port <port>', 'serve the Kafka protocol on 127.0.0.1 at this port (0 turns it off)', portOption('--kafka-port'), 9092)
    .option('--console-port <port>', 'serve the web console on 127.0.0.1 at this port (0 turns it off)', portOption('--console-port'), 8080)
    .option('--kafka-users <file>', 'require SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) from Kafka clients, against the users of this file (`kafkaless users add`)')
    .action(async ({ kafkaPort, consolePort, kafkaUsers }: { kafkaPort: number; consolePort: number; kafkaUsers?: string }) => {
      const { missingLocalPackages } = await import('../../lib/local/local-packages.js');
      const missing = missingLocalPackages();
      if (missing !== undefined) throw new CliUsageError(missing);
      const users = kafkaUsers !== undefined ? await usersFrom(kafkaUsers) : undefined;
      const { runLocalStack } = await import('../../lib/local/local-stack.js');
      const projectRoot = findProjectRoot(import.meta.url);
      await runLocalStack(projectRoot, { kafkaPort, consolePort, ...(users !== undefined ? { kafkaUsers: users } : {}) });
    });
}
