/** /api/topics/:name/messages: a window of records (view), one record whole, and producing one. */
import { z } from 'zod';
import { KafkalessError } from '../../errors.js';
import { parseRequest } from '../../protocol/parse-request.js';
import type { ConsoleContext } from '../context.js';
import { browseMessages, type WindowStart } from '../message-browser.js';
import type { Route } from '../router.js';
import { textParam, wholeParam } from './query.js';

export const DEFAULT_WINDOW = 50;

const produceBody = z
  .object({
    key: z.string().nullable().optional(),
    value: z.string().nullable(),
    headers: z.record(z.string(), z.string()).optional(),
    partition: z.number().int().optional(),
  })
  .strict();

function windowStart(query: URLSearchParams): WindowStart {
  const offset = wholeParam(query, 'offset');
  const timestamp = wholeParam(query, 'timestamp');
  const from = textParam(query, 'from');
  if (from !== undefined && from !== 'earliest' && from !== 'latest') throw new KafkalessError('InvalidRequest', `from must be earliest or latest, got '${from}'`, { context: { field: 'from' } });
  const given = [offset !== undefined, timestamp !== undefined, from !== undefined].filter(Boolean).length;
  if (given > 1) throw new KafkalessError('InvalidRequest', 'Give one of offset, timestamp and from', { context: { field: 'offset' } });
  if (offset !== undefined) return { offset };
  if (timestamp !== undefined) return { timestamp };
  return { from: from ?? 'earliest' };
}

export function messageRoutes({ kafkaless, producer }: ConsoleContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/topics/:name/messages',
      async handle({ params, query }) {
        const partition = wholeParam(query, 'partition');
        const key = textParam(query, 'key');
        const value = textParam(query, 'value');
        const header = textParam(query, 'header');
        return browseMessages(kafkaless, {
          topic: params.name!,
          ...(partition !== undefined ? { partition } : {}),
          start: windowStart(query),
          limit: wholeParam(query, 'limit') ?? DEFAULT_WINDOW,
          filter: { ...(key !== undefined ? { key } : {}), ...(value !== undefined ? { value } : {}), ...(header !== undefined ? { header } : {}) },
        });
      },
    },
    {
      method: 'GET',
      path: '/api/topics/:name/messages/:partition/:offset',
      async handle({ params }) {
        const partition = wholeParam(new URLSearchParams({ partition: params.partition! }), 'partition')!;
        const offset = wholeParam(new URLSearchParams({ offset: params.offset! }), 'offset')!;
        const window = await browseMessages(kafkaless, { topic: params.name!, partition, start: { offset }, limit: 1, displayLimit: Infinity });
        const record = window.records.find((r) => r.offset === offset);
        if (record === undefined) {
          throw new KafkalessError('OffsetOutOfRange', `Partition ${partition} of '${params.name!}' has no record at offset ${offset}`, { context: { topic: params.name!, partition, offset } });
        }
        return { record };
      },
    },
    {
      method: 'POST',
      path: '/api/topics/:name/messages',
      async handle({ params, body }) {
        const message = parseRequest(produceBody, body, 'produce');
        const [metadata] = await producer().send({
          topic: params.name!,
          messages: [{ key: message.key ?? null, value: message.value, ...(message.headers !== undefined ? { headers: message.headers } : {}), ...(message.partition !== undefined ? { partition: message.partition } : {}) }],
        });
        return { partition: metadata!.partition, offset: metadata!.offset, timestamp: metadata!.timestamp };
      },
    },
  ];
}
