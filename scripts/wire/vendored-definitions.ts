/** Reads the vendored definitions in lib/wire/messages/ and renders the schema module. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileDefinition, renderSchemaModule } from './compile-definitions.js';

export const MESSAGES_DIR = fileURLToPath(new URL('../../lib/wire/messages/', import.meta.url));
export const COMMIT_FILE = join(MESSAGES_DIR, 'KAFKA_COMMIT');

export function vendoredFiles(): string[] {
  return readdirSync(MESSAGES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

export function buildSchemaModule(): string {
  const schemas = vendoredFiles().map((file) => compileDefinition(readFileSync(join(MESSAGES_DIR, file), 'utf8'), file));
  return renderSchemaModule(schemas, readFileSync(COMMIT_FILE, 'utf8').trim());
}
