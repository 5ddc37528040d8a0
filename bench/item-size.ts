/**
 * A DynamoDB item's size as AWS reckons it for capacity units: attribute
 * names plus values (strings and binaries by length, numbers by about one
 * byte per two significant digits plus one, 3 bytes of overhead per list or
 * map plus 1 per element). Close enough to round to the right KB for the
 * small items kafkaless writes.
 */
export interface AttributeValueLike {
  readonly S?: string;
  readonly N?: string;
  readonly B?: Uint8Array;
  readonly BOOL?: boolean;
  readonly NULL?: boolean;
  readonly L?: readonly AttributeValueLike[];
  readonly M?: Readonly<Record<string, AttributeValueLike>>;
  readonly SS?: readonly string[];
  readonly NS?: readonly string[];
  readonly BS?: readonly Uint8Array[];
}

export type AttributeMap = Readonly<Record<string, AttributeValueLike>>;

export function itemSizeBytes(item: AttributeMap | undefined): number {
  let size = 0;
  for (const [name, value] of Object.entries(item ?? {})) size += Buffer.byteLength(name) + valueSizeBytes(value);
  return size;
}

function numberSizeBytes(n: string): number {
  const digits = n.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length;
  return Math.ceil(Math.max(1, digits) / 2) + 1;
}

function valueSizeBytes(v: AttributeValueLike): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return numberSizeBytes(v.N);
  if (v.B !== undefined) return v.B.byteLength;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.L !== undefined) return 3 + v.L.reduce((n, e) => n + 1 + valueSizeBytes(e), 0);
  if (v.M !== undefined) return 3 + Object.entries(v.M).reduce((n, [k, e]) => n + 1 + Buffer.byteLength(k) + valueSizeBytes(e), 0);
  if (v.SS !== undefined) return v.SS.reduce((n, e) => n + Buffer.byteLength(e), 0);
  if (v.NS !== undefined) return v.NS.reduce((n, e) => n + numberSizeBytes(e), 0);
  if (v.BS !== undefined) return v.BS.reduce((n, e) => n + e.byteLength, 0);
  return 0;
}
