/**
 * A stack's bucket notifications to its functions, run locally as S3 runs
 * them: each object the local S3 creates (or removes) in a notifying bucket,
 * under the configured prefix and suffix, is handed to the function as AWS
 * hands it (its S3 event, the key URL-encoded, spaces as `+`), by an
 * asynchronous invocation. Nothing polls: the S3 server reports each write.
 */
import type { LocalBucketNotification } from './template.js';

interface S3EventRecord {
  readonly eventName?: string;
  readonly s3?: { readonly bucket?: { readonly name?: string }; readonly object?: { readonly key?: string } & Record<string, unknown> } & Record<string, unknown>;
  readonly [field: string]: unknown;
}

export interface BucketNotificationOptions {
  readonly notifications: readonly LocalBucketNotification[];
  /** Subscribes to the local S3's events; returns how to stop. */
  readonly onS3Event: (listener: (notification: unknown) => void) => () => void;
  /** An asynchronous invocation (InvocationType Event). */
  readonly invokeAsync: (functionName: string, payload: string) => Promise<void>;
  readonly log: (line: string) => void;
}

/** `s3:ObjectCreated:*` matches `ObjectCreated:Put`; `s3:ObjectCreated:Put` only that. */
export function eventMatches(patterns: readonly string[], eventName: string): boolean {
  return patterns.some((p) => {
    const pattern = p.replace(/^s3:/, '');
    return pattern.endsWith(':*') ? eventName.startsWith(pattern.slice(0, -1)) : pattern === eventName;
  });
}

/** The key as S3 writes it into notifications. */
export function encodeNotificationKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

export function runBucketNotifications(options: BucketNotificationOptions): () => void {
  if (options.notifications.length === 0) return () => undefined;
  return options.onS3Event((notification) => {
    const records = (notification as { Records?: S3EventRecord[] } | null)?.Records ?? [];
    for (const record of records) {
      const bucket = record.s3?.bucket?.name;
      const key = record.s3?.object?.key;
      if (bucket === undefined || key === undefined || record.eventName === undefined) continue;
      for (const n of options.notifications) {
        if (n.bucketName !== bucket || !key.startsWith(n.prefix) || !key.endsWith(n.suffix) || !eventMatches(n.events, record.eventName)) continue;
        const event = { Records: [{ ...record, s3: { ...record.s3, object: { ...record.s3!.object, key: encodeNotificationKey(key) } } }] };
        options.invokeAsync(n.functionName, JSON.stringify(event)).catch((err: unknown) => options.log(`bucket notification to ${n.functionName} failed: ${err instanceof Error ? err.message : String(err)}`));
      }
    }
  });
}
