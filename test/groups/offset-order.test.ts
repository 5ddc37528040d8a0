/**
 * Which of a partition's committed offsets, held in different items of the
 * group, is the committed one: the later epoch first (a partition moves to a
 * new member only through a new target epoch), then the later commit time,
 * so a machine whose clock runs ahead cannot hide its successor's commits.
 */
import { describe, expect, it } from 'vitest';
import { atLeast, committedOffsets, type OffsetRecord, type StoredGroup } from '../../lib/storage/group-records.js';

const at = (offset: number, epoch: number | undefined, commitTimeMs: number): OffsetRecord => ({
  topic: 't',
  partition: 0,
  offset,
  metadata: '',
  commitTimeMs,
  ...(epoch !== undefined ? { epoch } : {}),
});

describe('committed offset order', () => {
  it('orders by epoch, then by commit time', () => {
    expect(atLeast(at(8, 5, 1_000), at(6, 4, 9_000))).toBe(true);
    expect(atLeast(at(6, 4, 9_000), at(8, 5, 1_000))).toBe(false);
    expect(atLeast(at(8, 5, 1_001), at(6, 5, 1_000))).toBe(true);
    expect(atLeast(at(8, undefined, 1_001), at(6, undefined, 1_000))).toBe(true);
  });

  it('answers the latest across the topic item, members and departed members, without the epoch', () => {
    const stored: StoredGroup = {
      topics: { t: { version: 3, offsets: [at(6, 4, 9_000)] } },
      members: {
        old: { version: 2, commits: 1, offsets: [at(6, 4, 9_000)], departed: true },
        next: { version: 1, commits: 1, offsets: [at(8, 5, 1_000)] },
      },
    };
    expect(committedOffsets(stored)).toEqual([{ topic: 't', partition: 0, offset: 8, metadata: '', commitTimeMs: 1_000 }]);
  });
});
