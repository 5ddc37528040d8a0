/**
 * Where `consume --partition P --offset N` starts: N when the partition
 * holds it (or it is the end, where new records arrive), else where
 * auto.offset.reset sends a consumer — with a note saying so, so a start
 * past the end never looks like a silent hang.
 */
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../../lib/protocol/log-requests.js';
import type { ListOffsetsReply } from '../../lib/protocol/log-replies.js';
import { call, type Transport } from '../../lib/client/transport.js';

export interface StartOffset {
  readonly offset: number;
  /** Why the start is not the offset asked for. */
  readonly note?: string;
}

export function chooseStartOffset(asked: number, logStart: number, highWatermark: number, reset: 'earliest' | 'latest', where: string): StartOffset {
  if (asked >= logStart && asked <= highWatermark) return { offset: asked };
  const to = reset === 'earliest' ? logStart : highWatermark;
  const then = reset === 'earliest' ? `reading from the log start offset ${to}` : `waiting for new records from ${to}`;
  const why =
    asked > highWatermark
      ? `offset ${asked} is past the end of ${where} (high watermark ${highWatermark})`
      : `offset ${asked} is before the start of ${where} (log start offset ${logStart}; older records were deleted)`;
  return { offset: to, note: `${why}; auto.offset.reset=${reset}: ${then}` };
}

export async function startOffset(transport: Transport, topic: string, partition: number, asked: number, reset: 'earliest' | 'latest'): Promise<StartOffset> {
  const ask = (timestamp: number) => ({ topic, partition, timestamp });
  const reply = await call<ListOffsetsReply>(transport, 'fetch', { action: 'listOffsets', partitions: [ask(EARLIEST_TIMESTAMP), ask(LATEST_TIMESTAMP)] });
  const [earliest, latest] = reply.partitions;
  return chooseStartOffset(asked, earliest!.offset, latest!.offset, reset, `partition ${partition} of '${topic}'`);
}
