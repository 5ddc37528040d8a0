/**
 * Lambda's Node.js runtimes provide the AWS SDK for JavaScript v3, so CDK's
 * NodejsFunction leaves `@aws-sdk/*` out of an app's bundles. The local
 * stack provides it the same way: a `node_modules/@aws-sdk` at the cloud
 * assembly's root, linking the SDK packages installed beside kafkaless
 * (its Lambda, DynamoDB and S3 clients and what they need), which the
 * bundles' imports find by Node's resolution. A client kafkaless does not
 * depend on is found only if the project installs it.
 */
import { existsSync, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Links `<assemblyDir>/node_modules/@aws-sdk` to the SDK packages kafkaless resolves; nothing when there already. */
export function provideRuntimeSdk(assemblyDir: string): void {
  const link = join(assemblyDir, 'node_modules', '@aws-sdk');
  if (existsSync(link)) return;
  // A link left dangling (kafkaless installed elsewhere since) is made again.
  if (lstatSync(link, { throwIfNoEntry: false }) !== undefined) rmSync(link, { force: true });
  const sdkDir = dirname(dirname(createRequire(import.meta.url).resolve('@aws-sdk/client-lambda/package.json')));
  mkdirSync(dirname(link), { recursive: true });
  try {
    symlinkSync(sdkDir, link, 'dir');
  } catch (err) {
    // Another local stack on the same assembly (tests share one) linked it first.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
