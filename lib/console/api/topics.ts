/** /api/topics: list, create, describe (partitions and configs), delete, add partitions, alter configs. */
import { z } from 'zod';
import { parseRequest } from '../../protocol/parse-request.js';
import type { ConsoleContext } from '../context.js';
import type { Route } from '../router.js';

const createBody = z
  .object({
    name: z.string(),
    partitions: z.number().int().optional(),
    configs: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const partitionsBody = z.object({ count: z.number().int() }).strict();

/** A value of null puts the key back to its default. */
const configsBody = z.object({ configs: z.record(z.string(), z.string().nullable()) }).strict();

export function topicRoutes({ kafkaless }: ConsoleContext): Route[] {
  const admin = kafkaless.admin();
  return [
    {
      method: 'GET',
      path: '/api/topics',
      async handle() {
        const topics = await admin.describeTopics();
        return {
          topics: topics
            .map((t) => ({
              name: t.topic,
              partitions: t.partitions.length,
              records: t.partitions.reduce((sum, p) => sum + (p.highWatermark - p.logStartOffset), 0),
              bytes: t.partitions.reduce((sum, p) => sum + p.bytes, 0),
              configOverrides: Object.keys(t.configs).length,
              createdAt: t.createdAt,
            }))
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
        };
      },
    },
    {
      method: 'POST',
      path: '/api/topics',
      async handle({ body }) {
        const { name, partitions, configs } = parseRequest(createBody, body, 'create topic');
        const configEntries = Object.entries(configs ?? {}).map(([key, value]) => ({ name: key, value }));
        const [created] = await admin.createTopics({ topics: [{ topic: name, ...(partitions !== undefined ? { numPartitions: partitions } : {}), configEntries }] });
        return { topic: created };
      },
    },
    {
      method: 'GET',
      path: '/api/topics/:name',
      async handle({ params }) {
        const name = params.name!;
        const [topic] = await admin.describeTopics({ topics: [name] });
        const [configs] = await admin.describeConfigs({ topics: [name] });
        return {
          name: topic!.topic,
          topicId: topic!.topicId,
          createdAt: topic!.createdAt,
          partitions: topic!.partitions.map((p) => ({ ...p, records: p.highWatermark - p.logStartOffset })),
          configs: configs!.configEntries.map((c) => ({ name: c.name, value: c.value, source: c.source, isDefault: c.isDefault, defaultValue: c.defaultValue, type: c.type, validValues: c.validValues, hasEffect: c.hasEffect, documentation: c.documentation })),
        };
      },
    },
    {
      method: 'DELETE',
      path: '/api/topics/:name',
      async handle({ params }) {
        await admin.deleteTopics({ topics: [params.name!] });
        return { deleted: params.name };
      },
    },
    {
      method: 'POST',
      path: '/api/topics/:name/partitions',
      async handle({ params, body }) {
        const { count } = parseRequest(partitionsBody, body, 'add partitions');
        await admin.createPartitions({ topicPartitions: [{ topic: params.name!, count }] });
        return { topic: params.name, partitions: count };
      },
    },
    {
      method: 'PUT',
      path: '/api/topics/:name/configs',
      async handle({ params, body }) {
        const { configs } = parseRequest(configsBody, body, 'alter configs');
        const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
        const [altered] = await admin.alterConfigs({ topics: [{ topic: params.name!, configEntries }] });
        return { topic: params.name, configs: altered!.configEntries.filter((c) => !c.isDefault).map((c) => ({ name: c.name, value: c.value })) };
      },
    },
  ];
}
