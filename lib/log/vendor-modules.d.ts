/** Declarations for the compression packages that ship no types of their own. */

declare module 'snappyjs' {
  export function compress<T extends Uint8Array>(uncompressed: T): T;
  export function uncompress<T extends Uint8Array>(compressed: T, maxLength?: number): T;
}

declare module 'lz4js' {
  export function compressBound(sizeBytes: number): number;
  /** A whole LZ4 frame (4 MiB linked blocks). */
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
  export function compressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sourceIndex: number,
    sourceLength: number,
    hashTable: Uint32Array,
  ): number;
}

declare module 'lz4js/xxh32.js' {
  export function hash(seed: number, src: Uint8Array, index: number, length: number): number;
}
