/**
 * Java's orderings, so results equal a Java client's: `String.compareTo` (UTF-16
 * code units) and the iteration order of `HashMap`/`HashSet`, which Kafka's sticky
 * assignor visits in a few places.
 */

/** Java `String.compareTo` sign: by UTF-16 code unit, then by length (not `localeCompare`). */
export function compareJavaStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = a.charCodeAt(i) - b.charCodeAt(i);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/** Java `String.hashCode()` as a signed int32. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Java `TopicPartition.hashCode()`. */
export function javaTopicPartitionHash(topic: string, partition: number): number {
  return (Math.imul(31, (31 + partition) | 0) + javaStringHash(topic)) | 0;
}

const INITIAL_CAPACITY = 16;
const TREEIFY_THRESHOLD = 8;
const MIN_TREEIFY_CAPACITY = 64;

/** The bucket a hash falls in: `HashMap.hash()` spreads the high bits down. */
function bucketOf(hash: number, capacity: number): number {
  return (hash ^ (hash >>> 16)) & (capacity - 1);
}

interface Slot {
  hash: number;
  seq: number;
}

/**
 * Tracks the iteration order a `java.util.HashSet` (or a `HashMap`'s key set)
 * would have for the same sequence of inserts and removals: by bucket, then by
 * insertion within a bucket. The table doubles past a 0.75 load factor, or when a
 * bucket reaches 8 entries in a table smaller than 64; it never shrinks.
 * (Bins that Java turns into trees, 8+ colliding keys in a table of 64+, are
 * visited in insertion order here.)
 */
export class JavaHashOrder<K> {
  private readonly slots = new Map<K, Slot>();
  private capacity = INITIAL_CAPACITY;
  private nextSeq = 0;

  constructor(private readonly hashOf: (key: K) => number) {}

  get size(): number {
    return this.slots.size;
  }

  has(key: K): boolean {
    return this.slots.has(key);
  }

  add(key: K): void {
    if (this.slots.has(key)) return;
    const hash = this.hashOf(key);
    const binCount = this.countInBucket(hash);
    this.slots.set(key, { hash, seq: this.nextSeq++ });
    if (binCount + 1 > TREEIFY_THRESHOLD && this.capacity < MIN_TREEIFY_CAPACITY) this.capacity *= 2;
    if (this.slots.size > this.capacity * 0.75) this.capacity *= 2;
  }

  delete(key: K): void {
    this.slots.delete(key);
  }

  /** The keys in Java's iteration order. */
  keys(): K[] {
    const entries = [...this.slots.entries()];
    entries.sort(([, a], [, b]) => bucketOf(a.hash, this.capacity) - bucketOf(b.hash, this.capacity) || a.seq - b.seq);
    return entries.map(([key]) => key);
  }

  /** The key Java's iterator would answer first. */
  first(): K | undefined {
    let best: [K, Slot] | undefined;
    for (const entry of this.slots) {
      if (best === undefined || this.before(entry[1], best[1])) best = entry;
    }
    return best?.[0];
  }

  private before(a: Slot, b: Slot): boolean {
    const diff = bucketOf(a.hash, this.capacity) - bucketOf(b.hash, this.capacity);
    return diff < 0 || (diff === 0 && a.seq < b.seq);
  }

  private countInBucket(hash: number): number {
    const bucket = bucketOf(hash, this.capacity);
    let count = 0;
    for (const slot of this.slots.values()) if (bucketOf(slot.hash, this.capacity) === bucket) count++;
    return count;
  }
}

/** Member ids in the order a Java `HashMap<String, …>` filled in the given order iterates them. */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  const order = new JavaHashOrder<string>(javaStringHash);
  for (const key of keys) order.add(key);
  return order.keys();
}
