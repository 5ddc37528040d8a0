/**
 * Regenerates lib/wire/generated-schemas.ts (the schema table the codec reads) and
 * lib/wire/generated-types.ts (the decoded bodies' types) from the vendored
 * definitions in lib/wire/messages/, the single source of truth for the wire formats.
 *
 *   npx tsx scripts/wire/generate-wire-schemas.ts
 */
import { writeFileSync } from 'node:fs';
import { buildGeneratedModules, GENERATED_MODULES } from './vendored-definitions.js';

const modules = buildGeneratedModules();
for (const key of Object.keys(GENERATED_MODULES) as (keyof typeof GENERATED_MODULES)[]) {
  writeFileSync(GENERATED_MODULES[key], modules[key]);
  console.log(`wrote ${GENERATED_MODULES[key]}`);
}
