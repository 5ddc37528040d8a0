/**
 * Copies Kafka's message definitions into lib/wire/messages/ from a Kafka git
 * directory at a ref: every definition already vendored, plus any named on the
 * command line (e.g. `DescribeAcls` adds DescribeAclsRequest and DescribeAclsResponse).
 * Records the commit in lib/wire/messages/KAFKA_COMMIT. Then run
 * generate-wire-schemas.ts.
 *
 *   npx tsx scripts/wire/vendor-kafka-messages.ts --git-dir <kafka .git> [--ref <ref>] [Name ...]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaCommit, kafkaSourceFromArgs, readKafkaFile } from './kafka-source.js';
import { COMMIT_FILE, MESSAGES_DIR, vendoredFiles } from './vendored-definitions.js';

const KAFKA_MESSAGES = 'clients/src/main/resources/common/message';

function requestedFiles(argv: readonly string[]): string[] {
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) i++;
    else names.push(`${argv[i]}Request.json`, `${argv[i]}Response.json`);
  }
  return names;
}

const argv = process.argv.slice(2);
const source = kafkaSourceFromArgs(argv);
const files = [...new Set([...vendoredFiles(), ...requestedFiles(argv)])].sort();
for (const file of files) writeFileSync(join(MESSAGES_DIR, file), readKafkaFile(source, `${KAFKA_MESSAGES}/${file}`));
const commit = kafkaCommit(source);
writeFileSync(COMMIT_FILE, `${commit}\n`);
console.log(`vendored ${files.length} definitions from Kafka ${commit}`);
