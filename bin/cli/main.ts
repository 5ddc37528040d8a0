/**
 * The kafkaless command line. Exit codes: 0 success; 1 the request failed
 * (the error's Kafka name is printed); 2 usage error or nothing to talk to.
 */
import { Command, CommanderError } from 'commander';
import { KafkalessError } from '../../lib/errors.js';
import { CliUsageError } from './connect.js';
import { registerConsume } from './consume.js';
import { registerGateway } from './gateway.js';
import { registerGroups } from './groups.js';
import { registerLocal } from './local.js';
import { registerMaintenance } from './maintenance.js';
import { registerProduce } from './produce.js';
import { registerTopics } from './topics.js';
import { registerTransactions } from './transactions.js';

const program = new Command('kafkaless')
  .description("Kafka's model, serverless on AWS: topics, partitions, offsets, producers and consumers over Lambda, S3 and DynamoDB")
  .option('--stack <name>', 'talk to a deployed stack (default: the running local stack)')
  .option('--region <region>', 'AWS region of the deployed stack')
  .option('--json', 'print results as JSON')
  .showHelpAfterError()
  .exitOverride();

registerLocal(program);
registerTopics(program);
registerGroups(program);
registerProduce(program);
registerConsume(program);
registerMaintenance(program);
registerTransactions(program);
registerGateway(program);

function fail(message: string, code: number): never {
  process.stderr.write(message + '\n');
  process.exit(code);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  if (err instanceof CliUsageError) fail(`Error: ${err.message}`, 2);
  if (err instanceof KafkalessError) {
    if (program.opts<{ json?: boolean }>().json === true) {
      process.stdout.write(JSON.stringify({ error: err.toJSON() }, null, 2) + '\n');
      process.exit(1);
    }
    fail(`Error: ${err.code}: ${err.message}`, 1);
  }
  fail(`Error: ${err instanceof Error ? err.message : String(err)}`, 1);
}
