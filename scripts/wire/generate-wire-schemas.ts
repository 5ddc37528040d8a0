/**
 * Regenerates lib/wire/generated-schemas.ts from the vendored definitions in
 * lib/wire/messages/ (the single source of truth for the wire formats).
 *
 *   npx tsx scripts/wire/generate-wire-schemas.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchemaModule } from './vendored-definitions.js';

const OUTPUT = fileURLToPath(new URL('../../lib/wire/generated-schemas.ts', import.meta.url));

writeFileSync(OUTPUT, buildSchemaModule());
console.log(`wrote ${OUTPUT}`);
