import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { CompressionCodec } from './compression-codec.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** gzip (id 1), as java.util.zip.GZIPOutputStream writes it: one member, default level. */
export const gzipCodec: CompressionCodec = {
  type: 'gzip',
  id: 1,
  compress: (data) => gzipAsync(data),
  decompress: (data, maxSizeBytes) => gunzipAsync(data, { maxOutputLength: Math.max(1, maxSizeBytes) }),
};
