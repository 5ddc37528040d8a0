/** Reads the vendored definitions in lib/wire/messages/ and renders the generated modules. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MessageSchema } from '../../lib/wire/schema-types.js';
import { compileDefinition, renderSchemaModule } from './compile-definitions.js';
import { renderTypesModule } from './render-types.js';

export const MESSAGES_DIR = fileURLToPath(new URL('../../lib/wire/messages/', import.meta.url));
export const COMMIT_FILE = join(MESSAGES_DIR, 'KAFKA_COMMIT');

/** Each generated module: its path and the text the vendored definitions give it. */
export const GENERATED_MODULES = {
  schemas: fileURLToPath(new URL('../../lib/wire/generated-schemas.ts', import.meta.url)),
  types: fileURLToPath(new URL('../../lib/wire/generated-types.ts', import.meta.url)),
};

export function vendoredFiles(): string[] {
  return readdirSync(MESSAGES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

function vendoredSchemas(): MessageSchema[] {
  return vendoredFiles().map((file) => compileDefinition(readFileSync(join(MESSAGES_DIR, file), 'utf8'), file));
}

export function buildGeneratedModules(): Record<keyof typeof GENERATED_MODULES, string> {
  const schemas = vendoredSchemas();
  return {
    schemas: renderSchemaModule(schemas, readFileSync(COMMIT_FILE, 'utf8').trim()),
    types: renderTypesModule(schemas),
  };
}
