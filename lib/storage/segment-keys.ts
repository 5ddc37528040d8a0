/**
 * Where segment objects live: `topics/<topicId>/<partition>/<baseOffset:020>.log`
 * with `.index` and `.timeindex` beside it. A segment rewritten by log
 * compaction keeps its base offset and gets a generation:
 * `<baseOffset:020>.<generation>.log`, because S3 has no atomic rename and an
 * object is never overwritten while an index item may point at it.
 */

export const SEGMENT_PREFIX = 'topics/';
const LOG_SUFFIX = '.log';
const KEY_PATTERN = /^topics\/([^/]+)\/(\d+)\/(\d{20})(?:\.(\d+))?\.log$/;

export interface SegmentKey {
  readonly topicId: string;
  readonly partition: number;
  readonly baseOffset: number;
  readonly generation: number;
}

/** The folder of one topic's segment objects. */
export function topicSegmentPrefix(topicId: string): string {
  return `${SEGMENT_PREFIX}${topicId}/`;
}

/** The `.log` key of a segment. */
export function segmentLogKey(topicId: string, partition: number, baseOffset: number, generation = 0): string {
  const base = String(baseOffset).padStart(20, '0');
  const gen = generation === 0 ? '' : `.${generation}`;
  return `${topicSegmentPrefix(topicId)}${partition}/${base}${gen}${LOG_SUFFIX}`;
}

/** True for a segment `.log` key (index items point only at `.log` objects). */
export function isSegmentKey(key: string): boolean {
  return key.startsWith(SEGMENT_PREFIX) && key.endsWith(LOG_SUFFIX);
}

export function parseSegmentKey(key: string): SegmentKey | undefined {
  const m = KEY_PATTERN.exec(key);
  if (m === null) return undefined;
  return { topicId: m[1]!, partition: Number(m[2]), baseOffset: Number(m[3]), generation: m[4] === undefined ? 0 : Number(m[4]) };
}

/** The base offset a segment's `.index` and `.timeindex` are relative to. */
export function segmentBaseOffset(logKey: string): number {
  const parsed = parseSegmentKey(logKey);
  if (parsed === undefined) throw new Error(`Not a segment key: ${logKey}`);
  return parsed.baseOffset;
}

function stem(logKey: string): string {
  return logKey.slice(0, -LOG_SUFFIX.length);
}

export function offsetIndexKey(logKey: string): string {
  return `${stem(logKey)}.index`;
}

export function timeIndexKey(logKey: string): string {
  return `${stem(logKey)}.timeindex`;
}

/** The `.log` key a segment companion (or the `.log` itself) belongs to; undefined for other keys. */
export function logKeyOf(key: string): string | undefined {
  for (const suffix of [LOG_SUFFIX, '.index', '.timeindex']) {
    if (key.startsWith(SEGMENT_PREFIX) && key.endsWith(suffix)) return key.slice(0, -suffix.length) + LOG_SUFFIX;
  }
  return undefined;
}

/** Every S3 object a registry key stands for: a segment's three files, or the one object. */
export function objectsOfRegistryKey(key: string): string[] {
  return isSegmentKey(key) ? [key, offsetIndexKey(key), timeIndexKey(key)] : [key];
}
