#!/usr/bin/env node
// The kafkaless command. In a checkout it runs the TypeScript sources through
// tsx's loader; in the installed package, which ships no sources, it runs the
// compiled CLI under dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The SDK's notice about Node 20 is for library authors; the CLI stays quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const source = new URL('./cli/main.ts', import.meta.url);
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/bin/cli/main.js', import.meta.url).href);
}
