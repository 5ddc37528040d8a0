/**
 * The admin function's requests: one object per call, `action` naming the
 * operation (Kafka Admin API names). Shapes only; meaning is checked by the
 * broker.
 */
import { z } from 'zod';
import { MAX_CONFIG_ENTRIES, MAX_DELETE_RECORDS_PARTITIONS, MAX_NAME_CHARS, MAX_TOPICS_PER_LOOKUP, MAX_TOPICS_PER_REQUEST } from '../limits.js';
import { describeClusterRequest, incrementalAlterConfigsRequest } from './admin-config-requests.js';

const topicName = z.string().max(MAX_NAME_CHARS);
const configEntry = z.object({ name: z.string().max(200), value: z.string().max(10_000) }).strict();
const configChange = z.object({ name: z.string().max(200), value: z.string().max(10_000).nullable() }).strict();


export const createTopicsRequest = z
  .object({
    action: z.literal('createTopics'),
    topics: z
      .array(
        z
          .object({
            topic: topicName,
            numPartitions: z.number().int().optional(),
            /** Accepted and stored for compatibility (-1: the default); S3 and DynamoDB replicate. */
            replicationFactor: z.number().int().optional(),
            configEntries: z.array(configEntry).max(MAX_CONFIG_ENTRIES).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_TOPICS_PER_REQUEST),
    validateOnly: z.boolean().optional(),
  })
  .strict();

export const listTopicsRequest = z.object({ action: z.literal('listTopics') }).strict();

export const describeTopicsRequest = z
  .object({ action: z.literal('describeTopics'), topics: z.array(topicName).max(MAX_TOPICS_PER_LOOKUP).optional() })
  .strict();

export const deleteTopicsRequest = z
  .object({ action: z.literal('deleteTopics'), topics: z.array(topicName).min(1).max(MAX_TOPICS_PER_REQUEST) })
  .strict();

export const createPartitionsRequest = z
  .object({
    action: z.literal('createPartitions'),
    topicPartitions: z
      .array(z.object({ topic: topicName, count: z.number().int() }).strict())
      .min(1)
      .max(MAX_TOPICS_PER_REQUEST),
    validateOnly: z.boolean().optional(),
  })
  .strict();

export const describeConfigsRequest = z
  .object({ action: z.literal('describeConfigs'), topics: z.array(topicName).min(1).max(MAX_TOPICS_PER_LOOKUP) })
  .strict();

export const alterConfigsRequest = z
  .object({
    action: z.literal('alterConfigs'),
    topics: z
      .array(z.object({ topic: topicName, configEntries: z.array(configChange).min(1).max(MAX_CONFIG_ENTRIES) }).strict())
      .min(1)
      .max(MAX_TOPICS_PER_REQUEST),
    validateOnly: z.boolean().optional(),
  })
  .strict();


export const deleteRecordsRequest = z
  .object({
    action: z.literal('deleteRecords'),
    partitions: z
      .array(
        z
          .object({
            topic: topicName,
            partition: z.number().int(),
            /** The new log start offset; -1 means the high watermark (everything). */
            offset: z.number().int(),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_DELETE_RECORDS_PARTITIONS),
  })
  .strict();

export const adminRequest = z.discriminatedUnion('action', [
  createTopicsRequest,
  listTopicsRequest,
  describeTopicsRequest,
  deleteTopicsRequest,
  createPartitionsRequest,
  describeConfigsRequest,
  alterConfigsRequest,
  deleteRecordsRequest,
  incrementalAlterConfigsRequest,
  describeClusterRequest,
]);

export type AdminRequest = z.infer<typeof adminRequest>;
export type CreateTopicsRequest = z.infer<typeof createTopicsRequest>;
export type DeleteTopicsRequest = z.infer<typeof deleteTopicsRequest>;
export type CreatePartitionsRequest = z.infer<typeof createPartitionsRequest>;
export type AlterConfigsRequest = z.infer<typeof alterConfigsRequest>;
export type DeleteRecordsRequest = z.infer<typeof deleteRecordsRequest>;
export type AdminAction = AdminRequest['action'];
