import { describe, expect, it } from 'vitest';
import { buildKafkaEvent, headChanges, interpretInvocation, parseItemIdentifier, type DeliveredRecord } from '../../lib/triggers/index.js';

const source = { eventSource: 'aws:kafka' as const, eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/kafkaless/x', bootstrapServers: 'kafkaless' };

function record(offset: number, extra: Partial<DeliveredRecord> = {}): DeliveredRecord {
  return { topic: 'my-topic', partition: 0, offset, timestamp: 1545084650987, timestampType: 'CreateTime', key: Buffer.from('recordKey'), value: Buffer.from('{"key":"value"}'), headers: [{ key: 'headerKey', value: Buffer.from('headerValue') }], ...extra };
}

describe('the MSK event', () => {
  it('has the shape of AWS MSK event: records grouped by topic-partition, base64 key and value, headers as byte arrays', () => {
    const event = buildKafkaEvent(source, [record(15)]);
    expect(event).toEqual({
      eventSource: 'aws:kafka',
      eventSourceArn: source.eventSourceArn,
      bootstrapServers: 'kafkaless',
      records: {
        'my-topic-0': [
          {
            topic: 'my-topic',
            partition: 0,
            offset: 15,
            timestamp: 1545084650987,
            timestampType: 'CREATE_TIME',
            key: 'cmVjb3JkS2V5',
            value: 'eyJrZXkiOiJ2YWx1ZSJ9',
            headers: [{ headerKey: [104, 101, 97, 100, 101, 114, 86, 97, 108, 117, 101] }],
          },
        ],
      },
    });
  });

  it('leaves out a null key and a null value, writes a null header as no bytes and LogAppendTime as LOG_APPEND_TIME', () => {
    const [r] = buildKafkaEvent(source, [record(1, { key: null, value: null, timestampType: 'LogAppendTime', headers: [{ key: 'h', value: null }] })]).records['my-topic-0']!;
    expect(r).toEqual({ topic: 'my-topic', partition: 0, offset: 1, timestamp: 1545084650987, timestampType: 'LOG_APPEND_TIME', headers: [{ h: [] }] });
  });

  it('groups partitions apart, in the order given', () => {
    const event = buildKafkaEvent(source, [record(1), record(7, { partition: 3 }), record(2)]);
    expect(Object.keys(event.records)).toEqual(['my-topic-0', 'my-topic-3']);
    expect(event.records['my-topic-0']!.map((r) => r.offset)).toEqual([1, 2]);
  });
});

describe('invocation outcomes', () => {
  const batch = { topic: 'my-topic', partition: 0, offsets: new Set([5, 6, 7]) };

  it('reads item identifiers as <topic>-<partition>@<offset> and <topic>-<partition>-<offset>, from the right', () => {
    expect(parseItemIdentifier('my-topic-0@6')).toEqual({ topic: 'my-topic', partition: 0, offset: 6 });
    expect(parseItemIdentifier('my-topic-0-6')).toEqual({ topic: 'my-topic', partition: 0, offset: 6 });
    expect(parseItemIdentifier('')).toBeUndefined();
    expect(parseItemIdentifier(6)).toBeUndefined();
  });

  it('is a success with no batchItemFailures, an empty list, or a null result', () => {
    for (const payload of ['null', '{}', '{"batchItemFailures":[]}', '']) expect(interpretInvocation({ payload }, batch, true)).toEqual({ kind: 'success' });
  });

  it('checkpoints at the lowest failed offset', () => {
    const payload = JSON.stringify({ batchItemFailures: [{ itemIdentifier: 'my-topic-0@7' }, { itemIdentifier: 'my-topic-0@6' }] });
    expect(interpretInvocation({ payload }, batch, true)).toEqual({ kind: 'partial', firstFailedOffset: 6, failedOffsets: [6, 7] });
  });

  it('fails the whole batch for an identifier that names no record of it', () => {
    for (const itemIdentifier of ['my-topic-0@99', 'other-0@6', '', null]) {
      expect(interpretInvocation({ payload: JSON.stringify({ batchItemFailures: [{ itemIdentifier }] }) }, batch, true).kind).toBe('error');
    }
  });

  it('ignores batchItemFailures unless ReportBatchItemFailures is on', () => {
    expect(interpretInvocation({ payload: JSON.stringify({ batchItemFailures: [{ itemIdentifier: 'my-topic-0@6' }] }) }, batch, false)).toEqual({ kind: 'success' });
  });

  it('is an error when the function failed, with its error type and message', () => {
    const outcome = interpretInvocation({ functionError: 'Unhandled', payload: JSON.stringify({ errorType: 'Error', errorMessage: 'boom' }) }, batch, true);
    expect(outcome).toEqual({ kind: 'error', message: 'Error: boom' });
  });
});

describe('head changes from the partitions table stream', () => {
  const topicId = '0b6b3c39-7f35-4b1c-9b43-6a0f0b3a1a11';
  const change = (pk: string, eventName: string, newHw?: number, oldHw?: number, seq = '100') => ({
    eventName,
    dynamodb: {
      Keys: { pk: { S: pk } },
      ...(newHw !== undefined ? { NewImage: { pk: { S: pk }, highWatermark: { N: String(newHw) } } } : {}),
      ...(oldHw !== undefined ? { OldImage: { pk: { S: pk }, highWatermark: { N: String(oldHw) } } } : {}),
      SequenceNumber: seq,
    },
  });

  it('keeps heads whose high watermark rose, one per partition, with the first old high watermark and sequence number', () => {
    const changes = headChanges({
      Records: [change(`${topicId}#0`, 'INSERT', 3, undefined, '1'), change(`${topicId}#0`, 'MODIFY', 5, 3, '2'), change(`${topicId}#1`, 'MODIFY', 9, 4, '3')],
    });
    expect(changes).toEqual([
      { topicId, partition: 0, previousHighWatermark: 0, highWatermark: 5, sequenceNumber: '1' },
      { topicId, partition: 1, previousHighWatermark: 4, highWatermark: 9, sequenceNumber: '3' },
    ]);
  });

  it('ignores leases, removals and changes that did not raise the high watermark', () => {
    const changes = headChanges({
      Records: [change(`lease#${topicId}#0`, 'INSERT'), change(`${topicId}#0`, 'REMOVE', undefined, 5), change(`${topicId}#0`, 'MODIFY', 5, 5)],
    });
    expect(changes).toEqual([]);
  });

  it('keeps a wake (the head\'s wakes counter moved, the high watermark did not): a head change with no new record', () => {
    const pk = `${topicId}#2`;
    const image = (wakes: number | undefined) => ({ pk: { S: pk }, highWatermark: { N: '7' }, ...(wakes !== undefined ? { wakes: { N: String(wakes) } } : {}) });
    const woken = (oldWakes: number | undefined, newWakes: number | undefined, seq: string) => ({ eventName: 'MODIFY', dynamodb: { Keys: { pk: { S: pk } }, NewImage: image(newWakes), OldImage: image(oldWakes), SequenceNumber: seq } });
    expect(headChanges({ Records: [woken(undefined, 1, '5')] })).toEqual([{ topicId, partition: 2, previousHighWatermark: 7, highWatermark: 7, sequenceNumber: '5' }]);
    expect(headChanges({ Records: [woken(1, 2, '6')] })).toHaveLength(1);
    // A transaction's lock on the head (or any other write that leaves the counter and the high watermark) is no wake.
    expect(headChanges({ Records: [woken(2, 2, '7')] })).toEqual([]);
  });
});
