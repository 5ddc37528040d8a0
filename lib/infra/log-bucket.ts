/**
 * The one S3 bucket holding the log: ingest objects and segment objects.
 */
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { IBucket, LifecycleRule } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface LogBucketOptions {
  readonly removalPolicy: RemovalPolicy;
  readonly encryptionKey?: IKey;
  readonly serverAccessLogsBucket?: IBucket;
  readonly versioned: boolean;
  readonly noncurrentVersionExpiration: Duration;
  readonly abortIncompleteUploadsAfter: Duration;
}

/**
 * Lifecycle applies no age-based expiry to current objects, on purpose.
 *
 * An ingest object (`ingest/...`) holds the batches of one produce commit.
 * Once committed, the batch index points into it until segment compaction
 * has rewritten those batches into a segment object and released it, or
 * until retention drops them; for a partition nobody compacts that may be
 * the topic's whole retention.ms, or forever with cleanup.policy=compact.
 * An "expire ingest/ after N days" rule would therefore delete acknowledged
 * records still in the index (a lost acknowledged write, and a dangling
 * reference). Lifecycle cannot see the index, so
 * it cannot tell an abandoned ingest object (its writer died before the
 * commit) from a committed one.
 *
 * So objects are removed only by the garbage collector (maintenance), which
 * checks the object registry and waits out a grace period first. Lifecycle
 * keeps to what is safe whatever the index says: aborting multipart uploads
 * nobody completed (their parts are invisible and unreferenced by
 * definition), and, only if versioning is turned on, expiring noncurrent
 * versions, which exist only after the collector has already deleted or
 * replaced an object.
 */
function lifecycleRules(options: LogBucketOptions): LifecycleRule[] {
  const rules: LifecycleRule[] = [
    { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: options.abortIncompleteUploadsAfter },
  ];
  if (options.versioned) {
    rules.push({
      id: 'expire-noncurrent-versions',
      noncurrentVersionExpiration: options.noncurrentVersionExpiration,
      expiredObjectDeleteMarker: true,
    });
  }
  return rules;
}

export function createLogBucket(scope: Construct, id: string, options: LogBucketOptions): Bucket {
  const key = options.encryptionKey;
  return new Bucket(scope, id, {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    encryption: key === undefined ? BucketEncryption.S3_MANAGED : BucketEncryption.KMS,
    ...(key === undefined ? {} : { encryptionKey: key, bucketKeyEnabled: true }),
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: options.versioned,
    lifecycleRules: lifecycleRules(options),
    removalPolicy: options.removalPolicy,
    ...(options.serverAccessLogsBucket === undefined
      ? {}
      : { serverAccessLogsBucket: options.serverAccessLogsBucket, serverAccessLogsPrefix: `${id.toLowerCase()}/` }),
  });
}
