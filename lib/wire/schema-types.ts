/**
 * The shape of Kafka's message definitions once normalised: version ranges parsed,
 * common structs resolved into the fields that use them, names in camelCase.
 * lib/wire/generated-schemas.ts holds every vendored message in this shape.
 */

/** Inclusive version range; `max` is 0x7fff for an open range ("3+"). */
export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

export const OPEN_VERSION = 0x7fff;

export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'uuid'
  | 'string'
  | 'bytes'
  | 'records';

/** A field's element type: a primitive, or a struct with its own fields. */
export type FieldType = PrimitiveType | 'struct';

export interface FieldSchema {
  /** camelCase, as the JS objects carry it. */
  readonly name: string;
  /** As in Kafka's JSON. */
  readonly kafkaName: string;
  readonly type: FieldType;
  /** `[]type` in Kafka's JSON. */
  readonly array: boolean;
  /** The struct's name when `type` is 'struct'. */
  readonly structName?: string;
  /** The struct's fields when `type` is 'struct'. */
  readonly fields?: readonly FieldSchema[];
  readonly versions: VersionRange;
  readonly nullableVersions: VersionRange | null;
  readonly taggedVersions: VersionRange | null;
  readonly tag: number | null;
  /** A per-field override of the message's flexible versions (string and bytes only). */
  readonly flexibleVersions?: VersionRange | null;
  readonly ignorable: boolean;
  /** Kafka's default string ("" when unset). */
  readonly default: string;
}

export type MessageKind = 'request' | 'response' | 'header';

export interface MessageSchema {
  readonly name: string;
  readonly kind: MessageKind;
  /** Absent for headers. */
  readonly apiKey: number | null;
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange | null;
  readonly deprecatedVersions: VersionRange | null;
  readonly latestVersionUnstable: boolean;
  readonly fields: readonly FieldSchema[];
}

export function inRange(range: VersionRange | null | undefined, version: number): boolean {
  return range !== null && range !== undefined && version >= range.min && version <= range.max;
}
