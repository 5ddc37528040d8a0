/**
 * The kafkaless command line. Exit codes: 0 success; 1 the request failed
 * (the error's Kafka name is printed); 2 usage error or nothing to talk to.
 *
 * Only the module of the subcommand named on the command line is imported
 * (the AWS SDK, the client and the local stack load with the commands that
 * use them), so `kafkaless --help` starts in about the time Node itself takes.
 */
import { Command, CommanderError } from 'commander';
import { KafkalessError } from '../../lib/errors.js';
import { SUBCOMMANDS, chosenSubcommand, type Subcommand } from './subcommands.js';

const program = new Command('kafkaless')
  .description("Kafka's model, serverless on AWS: topics, partitions, offsets, producers and consumers over Lambda, S3 and DynamoDB")
  .option('--stack <name>', 'talk to a deployed stack (default: the running local stack)')
  .option('--region <region>', 'AWS region of the deployed stack')
  .option('--json', 'print results as JSON')
  .showHelpAfterError()
  .exitOverride();

function fail(message: string, code: number): never {
  process.stderr.write(message + '\n');
  process.exit(code);
}

/** Registers the named subcommand for real, or every one as a summary line (help, unknown command). */
async function registerSubcommands(chosen: Subcommand | undefined): Promise<void> {
  if (chosen !== undefined) {
    (await chosen.load())(program);
    return;
  }
  for (const subcommand of SUBCOMMANDS) program.command(subcommand.usage).summary(subcommand.summary);
}

try {
  await registerSubcommands(chosenSubcommand(program, process.argv.slice(2)));
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  // Loaded only here: connect.js brings the AWS SDK, which --help never needs.
  const { CliUsageError } = await import('./connect.js');
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
