/**
 * Admin requests beyond create/list/describe/delete: Kafka's
 * IncrementalAlterConfigs and DescribeCluster. Shapes only; meaning is
 * checked by the broker.
 */
import { z } from 'zod';

/** Kafka's AlterConfigOp.OpType names. */
export const CONFIG_OPERATIONS = ['SET', 'DELETE', 'APPEND', 'SUBTRACT'] as const;
export type ConfigOperation = (typeof CONFIG_OPERATIONS)[number];

/** Topics per request: their changes are one DynamoDB transaction. */
export const MAX_CONFIG_TOPICS_PER_REQUEST = 50;

const configOperation = z
  .object({
    name: z.string().max(200),
    operation: z.enum(CONFIG_OPERATIONS),
    /** Required for SET, APPEND and SUBTRACT; ignored for DELETE. */
    value: z.string().max(10_000).nullable().optional(),
  })
  .strict();

export const incrementalAlterConfigsRequest = z
  .object({
    action: z.literal('incrementalAlterConfigs'),
    topics: z
      .array(z.object({ topic: z.string().max(1000), configEntries: z.array(configOperation).min(1).max(100) }).strict())
      .min(1)
      .max(MAX_CONFIG_TOPICS_PER_REQUEST),
    validateOnly: z.boolean().optional(),
  })
  .strict();

export const describeClusterRequest = z.object({ action: z.literal('describeCluster') }).strict();

export type IncrementalAlterConfigsRequest = z.infer<typeof incrementalAlterConfigsRequest>;
export type ConfigOperationEntry = z.infer<typeof configOperation>;
