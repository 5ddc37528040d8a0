/**
 * The construct's defaults, written once. Each is documented again on the
 * prop it fills (`KafkalessProps`).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LAMBDA_FUNCTION_NAME_CHARS, LAMBDA_MEMORY_MB, LAMBDA_TIMEOUT_SECONDS } from '../limits.js';

/** Data outlives the stack unless the caller says otherwise. */
export const DEFAULT_REMOVAL_POLICY = RemovalPolicy.RETAIN;

export const DEFAULT_MEMORY_SIZE_MB = 1024;
export const DEFAULT_TIMEOUT = Duration.seconds(30);

/**
 * Per-role timeouts that differ from `DEFAULT_TIMEOUT`. Keyed by string so a
 * role named here but absent from FUNCTION_ROLES is simply unused.
 * Maintenance rewrites whole segments, so it gets longer.
 */
export const ROLE_TIMEOUTS: Readonly<Record<string, Duration>> = {
  maintenance: Duration.minutes(5),
};

/** How often maintenance runs (segment compaction, retention, log compaction, garbage collection). */
export const DEFAULT_MAINTENANCE_SCHEDULE = Schedule.rate(Duration.minutes(5));

export const DEFAULT_LOG_RETENTION = RetentionDays.ONE_MONTH;
export const DEFAULT_LOG_LEVEL = 'info';

/** Multipart uploads nobody completed are aborted (and their parts freed) after this. */
export const DEFAULT_ABORT_INCOMPLETE_UPLOADS_AFTER = Duration.days(1);

/** Only used when the bucket is versioned: how long a replaced or deleted version is kept. */
export const DEFAULT_NONCURRENT_VERSION_EXPIRATION = Duration.days(7);

/** The newest Node.js runtime this aws-cdk-lib knows (cdk-nag's AwsSolutions-L1 asks for it). */
export const RUNTIME = Runtime.NODEJS_24_X;

/** The exported handler of every entry file. */
export const HANDLER_EXPORT = 'handler';

/** Lambda's limits on the two sizes a caller may set. */
export const MEMORY_SIZE_LIMITS_MB = LAMBDA_MEMORY_MB;
export const TIMEOUT_LIMITS = { min: Duration.seconds(LAMBDA_TIMEOUT_SECONDS.min), max: Duration.seconds(LAMBDA_TIMEOUT_SECONDS.max) } as const;
export const FUNCTION_NAME_MAX_LENGTH = LAMBDA_FUNCTION_NAME_CHARS;

/**
 * esbuild settings shared by every function.
 * - Local esbuild only: synthesis must work on machines without Docker.
 * - ESM with a `require` shim in the banner, for dependencies that still
 *   call `require` on Node built-ins.
 * - `externalModules: []` bundles the AWS SDK too: its version is the one
 *   the tests ran against, and the bundle runs on its own, outside any
 *   node_modules (the local stack runs these same bundles).
 * - `target: node20`: the bundle must also run under the local stack's Node
 *   (package.json engines: >=20), not only under the Lambda runtime.
 * - zstd is WebAssembly: its `zstd.wasm` is copied beside the bundle, and
 *   the banner gives CommonJS code the `__dirname` it loads it from.
 */
/**
 * The WebAssembly zstd codec: the file of the @bokuweb/zstd-wasm this
 * package resolves, wherever the package manager put it (hoisted into the
 * app's node_modules or nested under kafkaless's own).
 */
export const ZSTD_WASM = join(dirname(createRequire(import.meta.url).resolve('@bokuweb/zstd-wasm')), 'zstd.wasm');

export const BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: 'node20',
  externalModules: [],
  minify: true,
  sourceMap: true,
  mainFields: ['module', 'main'],
  banner:
    "import { createRequire as __kCreateRequire } from 'module'; import { fileURLToPath as __kFileUrlToPath } from 'url'; import { dirname as __kDirname } from 'path'; const require = __kCreateRequire(import.meta.url); const __filename = __kFileUrlToPath(import.meta.url); const __dirname = __kDirname(__filename);",
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => [`cp "${ZSTD_WASM}" "${outputDir}/zstd.wasm"`],
  },
};
