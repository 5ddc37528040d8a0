import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // aws-cdk-lib's built-in CloudFormation template validation costs seconds
      // of CPU per process that synthesizes, and here only ever warns (no
      // @aws-cdk/core:validateAgainstDefaultRules): off for the tests' own
      // synths. cdk-nag, a registered plugin, still runs. The packed-package
      // test turns it back on for the user's app (its report must be empty).
      CDK_VALIDATION: 'false',
    },
    exclude: ['test/proof/run.ts', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
