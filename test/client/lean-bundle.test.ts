/**
 * The client's entry point (`import … from 'kafkaless'`) bundles no broker,
 * storage or local-stack code, no S3, DynamoDB or CDK library and no zod (the
 * broker's request schemas): a function that only invokes the stack's Lambdas
 * stays small.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const FORBIDDEN = [/^lib\/(broker|storage|local|infra)\//, /^lib\/aws\//, /node_modules\/(@aws-sdk\/(client-s3|client-dynamodb|lib-dynamodb)|s3rver|amplify-dynamodb-simulator|aws-cdk-lib|constructs|zod)\//];

describe('the client bundle', () => {
  it('holds none of the broker, the storage, the local stack, their AWS clients or zod', async () => {
    const result = await build({ entryPoints: ['lib/client/index.ts'], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, outfile: 'client.mjs', logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('lib/client/local-target.ts');
    expect(inputs.filter((input) => FORBIDDEN.some((pattern) => pattern.test(input)))).toEqual([]);
  });
});
