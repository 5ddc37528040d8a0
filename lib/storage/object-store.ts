/**
 * The S3 side of the log: create-only puts, ranged gets, deletes and
 * listings, with S3's failures translated at this edge.
 */
import { DeleteObjectsCommand, GetObjectCommand, paginateListObjectsV2, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { InfrastructureError, KafkalessError } from '../errors.js';
import { S3_DELETE_OBJECTS_KEYS } from '../limits.js';

export interface ListedObject {
  readonly key: string;
  readonly sizeBytes: number;
  readonly lastModifiedMs: number;
}

const RETRIABLE = new Set(['SlowDown', 'InternalError', 'ServiceUnavailable', 'RequestTimeout', 'RequestTimeTooSkewed', 'TimeoutError']);

function s3Error(err: unknown, operation: string, key?: string): Error {
  const name = typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : 'Error';
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'NoSuchKey' || status === 404) {
    return new KafkalessError('KafkaStorageError', `Object ${key ?? ''} is missing from the bucket`, { cause: err });
  }
  const retriable = RETRIABLE.has(name) || (status !== undefined && status >= 500) || status === undefined;
  return new InfrastructureError(`S3 ${operation}${key ? ` ${key}` : ''} failed (${name}): ${message}`, { retriable, cause: err });
}

export class ObjectStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async put(key: string, body: Uint8Array): Promise<void> {
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: body.byteLength }));
    } catch (err) {
      throw s3Error(err, 'PutObject', key);
    }
  }

  /** Bytes [start, endExclusive) of an object. */
  async getRange(key: string, start: number, endExclusive: number): Promise<Buffer> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${start}-${endExclusive - 1}` }));
      const bytes = Buffer.from(await out.Body!.transformToByteArray());
      if (bytes.length !== endExclusive - start) {
        throw new KafkalessError('CorruptRecord', `Object ${key} is shorter than its index says (asked ${endExclusive - start} bytes at ${start}, got ${bytes.length})`);
      }
      return bytes;
    } catch (err) {
      if (err instanceof KafkalessError) throw err;
      throw s3Error(err, 'GetObject', key);
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (err) {
      throw s3Error(err, 'GetObject', key);
    }
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += S3_DELETE_OBJECTS_KEYS) {
      const chunk = keys.slice(i, i + S3_DELETE_OBJECTS_KEYS);
      try {
        await this.s3.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }));
      } catch (err) {
        throw s3Error(err, 'DeleteObjects');
      }
    }
  }

  async *list(prefix: string): AsyncGenerator<ListedObject> {
    const pages = paginateListObjectsV2({ client: this.s3 }, { Bucket: this.bucket, Prefix: prefix })[Symbol.asyncIterator]();
    for (;;) {
      let page;
      try {
        page = await pages.next();
      } catch (err) {
        throw s3Error(err, 'ListObjectsV2');
      }
      if (page.done === true) return;
      for (const o of page.value.Contents ?? []) {
        if (o.Key !== undefined) yield { key: o.Key, sizeBytes: o.Size ?? 0, lastModifiedMs: o.LastModified?.getTime() ?? 0 };
      }
    }
  }
}
