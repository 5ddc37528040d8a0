/** The local stack's bucket notifications: which events, prefixes and suffixes reach which function, and the key as S3 encodes it. */
import { describe, expect, it } from 'vitest';
import { encodeNotificationKey, eventMatches, runBucketNotifications } from '../../lib/local/bucket-notifications.js';

describe('bucket notifications', () => {
  it('match S3 event patterns and encode keys as S3 does', () => {
    expect(eventMatches(['s3:ObjectCreated:*'], 'ObjectCreated:Put')).toBe(true);
    expect(eventMatches(['s3:ObjectCreated:Copy'], 'ObjectCreated:Put')).toBe(false);
    expect(eventMatches(['s3:ObjectCreated:*'], 'ObjectRemoved:Delete')).toBe(false);
    expect(encodeNotificationKey('in/day 1 + ü.txt')).toBe('in/day+1+%2B+%C3%BC.txt');
  });

  it('hand each matching object to its function, once per notification', async () => {
    let listener: ((n: unknown) => void) | undefined;
    const calls: [string, unknown][] = [];
    const stop = runBucketNotifications({
      notifications: [
        { bucketName: 'b', functionName: 'src', events: ['s3:ObjectCreated:*'], prefix: 'in/', suffix: '.txt' },
        { bucketName: 'other', functionName: 'nope', events: ['s3:ObjectCreated:*'], prefix: '', suffix: '' },
      ],
      onS3Event: (l) => {
        listener = l;
        return () => (listener = undefined);
      },
      invokeAsync: async (fn, payload) => void calls.push([fn, JSON.parse(payload)]),
      log: () => undefined,
    });
    const put = (key: string, eventName = 'ObjectCreated:Put') => listener?.({ Records: [{ eventName, s3: { bucket: { name: 'b' }, object: { key, eTag: 'e' } } }] });
    put('in/a b.txt');
    put('in/a.csv');
    put('out/a.txt');
    put('in/gone.txt', 'ObjectRemoved:Delete');
    await Promise.resolve();
    expect(calls).toEqual([['src', { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key: 'in/a+b.txt', eTag: 'e' } } }] }]]);
    stop();
    expect(listener).toBeUndefined();
  });
});
