#!/usr/bin/env node
// The kafkaless command: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

// The SDK's notice about Node 20 is for library authors; the CLI stays quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('./cli/main.ts');
