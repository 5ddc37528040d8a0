/**
 * The CDK app entry (cdk.json runs `npx tsx bin/app.ts`). The App reads the
 * CLI's $CDK_OUTDIR and context itself.
 */
import { buildApp } from '../lib/infra/app.js';

buildApp().app.synth();
