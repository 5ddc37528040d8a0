/**
 * What the global setup hands every test file (vitest's provide/inject).
 */

/** Where the tests' AWS services answer. */
export interface TestAwsEndpoints {
  readonly dynamodb: string;
  readonly s3: string;
  readonly region: string;
  /** True when the environment named the endpoints (e.g. LocalStack) and nothing was started. */
  readonly external: boolean;
}

export const AWS_ENDPOINTS_KEY = 'kafkalessAws';

/** A folder for this run only, where test files share what is costly to make (removed at the end of the run). */
export const RUN_DIR_KEY = 'kafkalessRunDir';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkalessAws: TestAwsEndpoints;
    kafkalessRunDir: string;
  }
}
