/** The output records an exactly-once subscription's function answers: encoded by the helper, read back by the trigger. */
import { describe, expect, it } from 'vitest';
import { encodeOutput, exactlyOnceHandler, parseOutput, type KafkaEvent } from '../../lib/triggers/index.js';

const event: KafkaEvent = { eventSource: 'aws:kafka', eventSourceArn: 'arn', bootstrapServers: 'kafkaless', records: {} };

describe('output records', () => {
  it('carry text as text and bytes as base64, and read back as the messages sent', () => {
    const encoded = encodeOutput([
      { topic: 'a', key: 'k', value: 'v', headers: { h: ['x', null] }, partition: 1, timestamp: 5 },
      { topic: 'b', value: Buffer.from([0, 255]), headers: { h: 'y' } },
    ]);
    expect(encoded).toEqual([
      { topic: 'a', key: 'k', value: 'v', headers: { h: ['x', null] }, partition: 1, timestamp: 5 },
      { topic: 'b', value: 'AP8=', headers: { h: ['eQ=='] }, encoding: 'base64' },
    ]);
    const parsed = parseOutput(JSON.stringify({ output: encoded }));
    expect(parsed).toEqual({
      ok: true,
      messages: [
        { topic: 'a', key: Buffer.from('k'), value: Buffer.from('v'), headers: { h: [Buffer.from('x'), null] }, partition: 1, timestamp: 5 },
        { topic: 'b', key: null, value: Buffer.from([0, 255]), headers: { h: [Buffer.from('y')] } },
      ],
    });
  });

  it('are none for an answer without output, and a malformed output is named', () => {
    expect(parseOutput('')).toEqual({ ok: true, messages: [] });
    expect(parseOutput('{"batchItemFailures":[]}')).toEqual({ ok: true, messages: [] });
    const bad = parseOutput(JSON.stringify({ output: [{ topic: 'a', value: 42 }] }));
    expect(bad.ok).toBe(false);
    expect(bad.ok === false && bad.message).toMatch(/^The function's output is not a list of output records/);
  });

  it('are what the wrapped handler sent through its producer, then what it returned', async () => {
    const handler = exactlyOnceHandler(async (_event, { producer }) => {
      await producer.send({ topic: 'a', messages: [{ value: '1' }] });
      await producer.sendBatch({ topicMessages: [{ topic: 'b', messages: [{ value: '2' }] }] });
      return { batchItemFailures: [], output: [{ topic: 'c', value: '3' }] };
    });
    expect(await handler(event, {})).toEqual({ batchItemFailures: [], output: [{ topic: 'a', value: '1' }, { topic: 'b', value: '2' }, { topic: 'c', value: '3' }] });
  });
});
