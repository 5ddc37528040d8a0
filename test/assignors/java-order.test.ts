import { describe, expect, it } from 'vitest';
import {
  compareJavaStrings,
  JavaHashOrder,
  javaHashMapOrder,
  javaStringHash,
  javaTopicPartitionHash,
} from '../../lib/broker/assignors/java-order.js';

// Expected orders below are what Java 17's java.util.HashMap / HashSet answer for the same inserts.
describe('Java orderings', () => {
  it("hashes strings as Java's String.hashCode", () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('Aa')).toBe(javaStringHash('BB'));
    expect(javaStringHash('consumer1')).toBe(-421004549);
    expect(javaStringHash('hello world, this overflows')).toBe(161437415);
    expect(javaStringHash('\u00e9t\u00e9')).toBe(227742);
  });

  it('compares strings by UTF-16 code unit', () => {
    expect(Math.sign(compareJavaStrings('Z', 'a'))).toBe(-1);
    expect(Math.sign(compareJavaStrings('a', 'ab'))).toBe(-1);
    expect(Math.sign(compareJavaStrings('\uffff', '\u{1F600}'))).toBe(1);
    expect(compareJavaStrings('same', 'same')).toBe(0);
  });

  it.each([
    [['consumer1', 'consumer2', 'consumer3', 'consumer4'], 'consumer4,consumer3,consumer2,consumer1'],
    [['c10', 'c09', 'c08', 'c07', 'c06', 'c05', 'c04', 'c03', 'c02', 'c01'], 'c10,c02,c01,c04,c03,c06,c05,c08,c07,c09'],
    [
      ['member-3', 'member-1', 'member-4', 'member-2', 'consumer-a', 'consumer-b', 'Aa', 'BB', 'C0', 'x', 'y', 'z', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'],
      'Aa,BB,member-3,member-4,C0,c1,c2,c3,c4,c5,c6,member-1,c7,member-2,c8,x,y,z,consumer-b,consumer-a',
    ],
    [
      ['AaAa', 'AaBB', 'BBAa', 'BBBB', 'AaAaAa', 'AaAaBB', 'AaBBAa', 'AaBBBB', 'BBAaAa'],
      'AaAaAa,AaAaBB,AaBBAa,AaBBBB,BBAaAa,AaAa,AaBB,BBAa,BBBB',
    ],
  ])('iterates a HashMap filled with %j as Java does', (keys, expected) => {
    expect(javaHashMapOrder(keys).join(',')).toBe(expected);
  });

  it('grows the table past a load of 0.75 as Java does', () => {
    const keys = Array.from({ length: 30 }, (_, i) => `member-${(i * 7919) % 101}`);
    expect(javaHashMapOrder(keys).join(',')).toBe(
      'member-15,member-37,member-6,member-3,member-12,member-34,member-56,member-78,member-9,member-31,member-53,' +
        'member-75,member-97,member-50,member-72,member-94,member-91,member-28,member-25,member-47,member-69,' +
        'member-22,member-44,member-66,member-88,member-41,member-63,member-85,member-82,member-0',
    );
  });

  it('grows a small table when nine keys collide in one bucket, as Java does', () => {
    const colliding = Array.from({ length: 10 }, (_, i) =>
      [3, 2, 1, 0].map((bit) => ((i >> bit) & 1 ? 'BB' : 'Aa')).join(''),
    );
    expect(javaHashMapOrder(['zz', 'q', ...colliding]).join(',')).toBe(
      'zz,AaAaAaAa,AaAaAaBB,AaAaBBAa,AaAaBBBB,AaBBAaAa,AaBBAaBB,AaBBBBAa,AaBBBBBB,BBAaAaAa,BBAaAaBB,q',
    );
  });

  it('iterates a HashSet of topic partitions after removals and re-adds as Java does', () => {
    const parts = new Map<string, [string, number]>();
    const set = new JavaHashOrder<string>((key) => javaTopicPartitionHash(...parts.get(key)!));
    const add = (topic: string, partition: number): void => {
      parts.set(`${topic}-${partition}`, [topic, partition]);
      set.add(`${topic}-${partition}`);
    };
    for (let p = 0; p < 20; p++) add('topic', p);
    for (let p = 0; p < 20; p += 3) set.delete(`topic-${p}`);
    add('t2', 5);
    add('topic', 3);
    expect(set.keys().join(',')).toBe(
      'topic-17,topic-19,topic-10,topic-11,topic-14,topic-13,topic-16,topic-2,topic-1,topic-4,t2-5,topic-3,topic-5,topic-8,topic-7',
    );
    expect(set.first()).toBe('topic-17');
  });
});
