import { describe, expect, it } from 'vitest';
import { testAwsEndpoints } from '../support/services.js';
import { createDeployment } from '../proof/deployment.js';
import { describeAnomalies } from '../proof/summary.js';
import { describeHotPartition, runHotPartition, type HotPartitionOptions } from './hot-partition.js';

describe('one hot partition under many producers', () => {
  it('acknowledges every send and loses nothing while conflicts dominate, and reports the throughput', async () => {
    const options: HotPartitionOptions = {
      deployment: await createDeployment({ ...testAwsEndpoints() }, 'load'),
      producers: Number(process.env.LOAD_PRODUCERS ?? 16),
      sends: Number(process.env.LOAD_SENDS ?? 128),
      window: 2,
      seed: 1,
    };
    const result = await runHotPartition(options);
    console.log(describeHotPartition(options, result));
    expect(result.failedSends, describeHotPartition(options, result)).toEqual([]);
    expect(result.anomalies, describeAnomalies(result.anomalies)).toEqual([]);
    expect(result.acknowledgedSends).toBe(options.sends);
  });
});
