/** `kafkaless gateway` over the running local stack (found by its state file): kcat lists and produces through it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKcat } from '../support/kcat.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { gatewayRoot, removeGatewayRoot, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

let t: TestKafkaless;
let root: string;
let gateway: GatewayProcess;
let broker: string;

const kcat = (args: readonly string[], input?: string): Promise<string> => runKcat(broker, args, input);

beforeAll(async () => {
  t = await createTestKafkaless();
  await t.kafkaless.admin().createTopics({ topics: [{ topic: 'served', numPartitions: 2 }] });
  root = gatewayRoot(t);
  gateway = await startGatewayProcess(root);
  broker = gateway.broker;
});

afterAll(async () => {
  await gateway.stop('SIGTERM');
  removeGatewayRoot(root);
  await t.close();
});

describe('kafkaless gateway', () => {
  it('serves the local stack: its topics listed, records produced through it read natively', async () => {
    const meta = JSON.parse(await kcat(['-L', '-J'])) as { topics: { topic: string; partitions: unknown[] }[] };
    expect(meta.topics.map((x) => [x.topic, x.partitions.length])).toEqual([['served', 2]]);
    await kcat(['-P', '-t', 'served', '-p', '1', '-K', ':'], 'k:v\n');
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: 'served', partition: 1 }]);
    const read = [];
    while (read.length < 1) read.push(...(await consumer.poll({ timeoutMs: 100 })));
    await consumer.disconnect();
    expect(read.map((r) => [r.key?.toString(), r.value?.toString()])).toEqual([['k', 'v']]);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await gateway.stop('SIGTERM')).toBe(0);
  });
});
