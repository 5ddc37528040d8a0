import { describe, expect, it } from 'vitest';
import type { Transport } from '../../lib/client/transport.js';
import type { FunctionRole } from '../../lib/names.js';
import { countAnomalies } from './anomaly.js';
import { testAwsEndpoints } from '../support/services.js';
import { createDeployment } from './deployment.js';
import { describeAnomalies, replayCommand, verdict } from './summary.js';
import { runWorkload, type WorkloadOptions } from './workload.js';

/** PROOF_SEED replays a run; otherwise each run draws a new seed (printed when it fails). */
const seed = process.env.PROOF_SEED !== undefined ? Number(process.env.PROOF_SEED) : Math.floor(Math.random() * 2 ** 31);

async function prove(options: Omit<WorkloadOptions, 'deployment'>): Promise<void> {
  const deployment = await createDeployment({ ...testAwsEndpoints() });
  const result = await runWorkload({ deployment, ...options }).catch((err: unknown) => {
    // A run that breaks (rather than finding anomalies) must still say how to replay it.
    throw new Error(`the run with seed ${options.seed} failed: ${String(err)}\nreplay: ${replayCommand(options.ops, options.seed, options.stormMs)}`, { cause: err });
  });
  const report = [
    verdict(result),
    describeAnomalies(result.anomalies),
    `replay: ${replayCommand(options.ops, options.seed, options.stormMs)}`,
    `or this test with: PROOF_SEED=${seed} npx vitest run test/proof/proof.test.ts`,
  ].join('\n');
  expect(result.anomalies, report).toEqual([]);
  expect(result.ops).toBe(options.ops);
  expect(result.faults.total(), report).toBeGreaterThan(0);
  expect(result.acknowledged, report).toBeGreaterThan(0);
}

/** A guard against a hung run, not a speed limit: 2,000 operations take ~50 s alone and several minutes on a loaded machine. */
const HANG_GUARD_MS = 600_000;

describe('the proof under faults', () => {
  it('keeps every invariant through faults at every point and an error storm', async () => {
    await prove({ ops: 2_000, seed, stormMs: 1_000 });
  }, HANG_GUARD_MS);

  it('keeps every invariant when AWS calls take effect but their replies are lost', async () => {
    await prove({
      ops: 200,
      seed: seed + 1,
      producers: 3,
      readers: 1,
      stormMs: 0,
      awsFaults: { rate: 0.25, afterShare: 1, dynamodbKinds: ['InternalServerError', 'ECONNRESET', 'TimeoutError'], s3Kinds: ['ECONNRESET', 'InternalError'] },
    });
  });
});

/** A broker that acknowledges its first produce, and every seventh after, at the wrong offset: the proof must catch it (however few requests a loaded machine batches the sends into). */
function lyingBroker(inner: Transport): Transport {
  let replies = 0;
  return {
    async invoke(role: FunctionRole, request: object, options) {
      const reply = (await inner.invoke(role, request, options)) as { ok?: boolean; result?: { entries?: { baseOffset: number }[] } };
      if (role === 'produce' && reply?.ok === true && reply.result?.entries !== undefined && replies++ % 7 === 0) {
        return { ...reply, result: { ...reply.result, entries: reply.result.entries.map((e) => ({ ...e, baseOffset: e.baseOffset + 1 })) } };
      }
      return reply;
    },
    close: () => inner.close(),
  };
}

describe('the proof itself', () => {
  it('finds lost writes when a broker acknowledges wrong offsets', async () => {
    const deployment = await createDeployment({ ...testAwsEndpoints() });
    const result = await runWorkload({ deployment, ops: 80, seed, producers: 2, readers: 0, groupMembers: 0, faultScale: 0, stormMs: 0, wrapProducerTransport: lyingBroker });
    expect(countAnomalies(result.anomalies)['lost-write'], replayCommand(80, seed)).toBeGreaterThan(0);
  });
});
