/** An S3 source connector's function (docs/CONNECT.md): objects created under its prefix (or a scan) in, records produced to its topic. */
import { s3SourceFunctionFromEnv } from '../lib/connect/connector-function.js';

export const handler = s3SourceFunctionFromEnv();
