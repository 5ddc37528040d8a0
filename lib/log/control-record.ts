/**
 * Control records (the single record of a control batch):
 *   key   = version int16 (0) | type int16 (0 ABORT, 1 COMMIT, 2 LEADER_CHANGE, ...)
 *   value = for ABORT/COMMIT (EndTransactionMarker): version int16 (0) | coordinatorEpoch int32
 */
import { corruptRecord } from './corrupt-record.js';

export const CONTROL_RECORD_TYPES = {
  ABORT: 0,
  COMMIT: 1,
  LEADER_CHANGE: 2,
  SNAPSHOT_HEADER: 3,
  SNAPSHOT_FOOTER: 4,
  KRAFT_VERSION: 5,
  KRAFT_VOTERS: 6,
} as const;

export type ControlRecordTypeName = keyof typeof CONTROL_RECORD_TYPES;

const CONTROL_KEY_BYTES = 4;
const END_TXN_MARKER_BYTES = 6;

export function encodeControlRecordKey(type: ControlRecordTypeName): Buffer {
  const key = Buffer.alloc(CONTROL_KEY_BYTES);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(CONTROL_RECORD_TYPES[type], 2);
  return key;
}

/** The control type id of a control record's key (unknown ids are returned as they are). */
export function decodeControlRecordType(key: Buffer | null): number {
  if (key === null || key.length < CONTROL_KEY_BYTES) throw corruptRecord('control record key is shorter than 4 bytes');
  const version = key.readInt16BE(0);
  if (version < 0) throw corruptRecord(`control record key version ${version} is negative`);
  return key.readInt16BE(2);
}

export function encodeEndTransactionMarker(coordinatorEpoch: number): Buffer {
  const value = Buffer.alloc(END_TXN_MARKER_BYTES);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return value;
}

export function decodeEndTransactionMarker(value: Buffer | null): { coordinatorEpoch: number } {
  if (value === null || value.length < END_TXN_MARKER_BYTES) throw corruptRecord('end transaction marker is shorter than 6 bytes');
  const version = value.readInt16BE(0);
  if (version < 0) throw corruptRecord(`end transaction marker version ${version} is negative`);
  return { coordinatorEpoch: value.readInt32BE(2) };
}
