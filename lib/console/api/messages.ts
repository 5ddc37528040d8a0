/** /api/topics/:name/messages: a window of records (view), one record whole, and producing one. */
import { z } from 'zod';
import { KafkalessError } from '../../errors.js';
import { parseRequest } from '../../protocol/parse-request.js';
import type { ConsoleContext } from '../context.js';
import { browseMessages, type WindowStart } from '../message-browser.js';
import { exportRecords } from '../message-export.js';
import { FileAnswer, type Route } from '../router.js';
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

/** `offsets=0:12,1:40`: where each partition's window starts. */
function offsetsParam(query: URLSearchParams): Map<number, number> | undefined {
  const raw = textParam(query, 'offsets');
  if (raw === undefined) return undefined;
  const offsets = new Map<number, number>();
  for (const pair of raw.split(',')) {
    const match = /^(\d+):(\d+)$/.exec(pair);
    if (match === null) throw new KafkalessError('InvalidRequest', `offsets takes partition:offset pairs separated by commas, got '${raw}'`, { context: { field: 'offsets' } });
    offsets.set(Number(match[1]), Number(match[2]));
  }
  return offsets;
}

function windowStart(query: URLSearchParams): WindowStart {
  const offsets = offsetsParam(query);
  const offset = wholeParam(query, 'offset');
  const timestamp = wholeParam(query, 'timestamp');
  const from = textParam(query, 'from');
  if (from !== undefined && from !== 'earliest' && from !== 'latest') throw new KafkalessError('InvalidRequest', `from must be earliest or latest, got '${from}'`, { context: { field: 'from' } });
  const given = [offsets !== undefined, offset !== undefined, timestamp !== undefined, from !== undefined].filter(Boolean).length;
  if (given > 1) throw new KafkalessError('InvalidRequest', 'Give one of offset, offsets, timestamp and from', { context: { field: 'offset' } });
  if (offsets !== undefined) return { offsets };
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
        const format = textParam(query, 'format');
        if (format !== undefined && format !== 'json' && format !== 'csv') throw new KafkalessError('InvalidRequest', `format must be json or csv, got '${format}'`, { context: { field: 'format' } });
        const window = await browseMessages(kafkaless, {
          topic: params.name!,
          ...(partition !== undefined ? { partition } : {}),
          start: windowStart(query),
          limit: wholeParam(query, 'limit') ?? DEFAULT_WINDOW,
          filter: { ...(key !== undefined ? { key } : {}), ...(value !== undefined ? { value } : {}), ...(header !== undefined ? { header } : {}) },
          // An export holds every payload whole.
          ...(format !== undefined ? { displayLimit: Infinity } : {}),
        });
        if (format === undefined) return window;
        return new FileAnswer(format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8', `${params.name!}-messages.${format}`, exportRecords(window.records, format));
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
