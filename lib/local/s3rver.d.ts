/** Types for the parts of the `s3rver` npm package that the local stack uses. */
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  namespace S3rver {
    interface Options {
      address?: string;
      port?: number;
      silent?: boolean;
      directory?: string;
      resetOnClose?: boolean;
      allowMismatchedSignatures?: boolean;
      vhostBuckets?: boolean;
    }
  }

  class S3rver {
    constructor(options?: S3rver.Options);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    /** S3 event notifications of the objects written and deleted, in AWS's shape ({ Records: [...] }). */
    on(event: 'event', listener: (notification: unknown) => void): this;
    off(event: 'event', listener: (notification: unknown) => void): this;
  }

  export = S3rver;
}
