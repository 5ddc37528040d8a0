/**
 * Managing a connector as Kafka Connect's REST API does, over DynamoDB
 * Local and the S3 server: pause holds a sink's records, resume wakes its
 * partitions through the real trigger handler so it catches up at once,
 * restart runs a failed task again from its committed offsets; status shows
 * tasks, a failed task's trace, and the sink's lag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorAdmin } from '../../lib/connect/connector-admin.js';
import { KafkalessError } from '../../lib/errors.js';
import { committedOffset } from '../../lib/triggers/partition-log.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { append, sinkUnderTest, topicWith } from './support.js';

let k: TestKafkaless;

beforeAll(async () => {
  k = await createTestKafkaless();
});

afterAll(async () => {
  await k?.close();
});

async function managed(values: readonly string[]) {
  const topic = await topicWith(k, values);
  const sink = await sinkUnderTest(k, { 'connector.class': 'S3Sink', topics: topic, 'flush.size': 2 });
  const declared = [{ name: sink.name, connectorClass: 'S3Sink', topics: [topic], tasksMax: 1, groupId: sink.spec.groupId }];
  const admin = new ConnectorAdmin({ store: sink.store, admin: k.kafkaless.admin(), wake: async (event) => void (await sink.trigger(event)), now: Date.now }, declared);
  return { topic, sink, admin };
}

describe('kafkaless connect', () => {
  it('pause holds the records, resume catches up at once', async () => {
    const { topic, sink, admin } = await managed(['{"n":0}', '{"n":1}']);
    expect((await admin.pause(sink.name)).tasks).toEqual([{ id: 0, state: 'PAUSED', worker_id: 'lambda' }]);
    await sink.deliver();
    expect(await sink.keys()).toEqual([]);
    expect(await committedOffset(k.transport, sink.spec.groupId, { topic, partition: 0 })).toBeUndefined();

    const resumed = await admin.resume(sink.name);
    expect(resumed.connector.state).toBe('RUNNING');
    expect(await sink.keys()).toHaveLength(1);
    const status = await admin.status(sink.name);
    expect(status.lag).toEqual([expect.objectContaining({ topic, partition: 0, committed: 2, logEnd: 2, lag: 0 })]);
    expect(await admin.list()).toEqual([{ name: sink.name, connector: { state: 'RUNNING', worker_id: 'lambda' }, tasks: [{ id: 0, state: 'RUNNING', worker_id: 'lambda' }], type: 'sink' }]);
  });

  it('shows a failed task with its trace; restart runs it again from the committed offset', async () => {
    const { topic, sink, admin } = await managed(['{"n":0}', '{"n":1}', 'oops']);
    await sink.deliver();
    const failed = await admin.status(sink.name);
    expect(failed.tasks[0]).toMatchObject({ id: 0, state: 'FAILED' });
    expect(failed.tasks[0]?.trace).toContain('RecordConversionError');
    expect(failed.lag?.[0]).toMatchObject({ committed: 2, lag: 1 });

    // Restarted, it reads from offset 2 again and fails at the same record, as Kafka Connect's task would.
    await append(k, topic, ['{"n":3}']);
    const restarted = await admin.restart(sink.name);
    expect(restarted.tasks[0]?.state).toBe('FAILED');
    expect((await sink.store.read(sink.name, 1)).failures.get(0)?.offset).toBe(2);
    expect(await committedOffset(k.transport, sink.spec.groupId, { topic, partition: 0 })).toBe(2);
  });

  it('names an unknown connector as not found', async () => {
    const { admin } = await managed([]);
    await expect(admin.status('nope')).rejects.toThrow(KafkalessError);
    await expect(admin.pause('nope')).rejects.toThrow(/Connector nope not found/);
  });
});
