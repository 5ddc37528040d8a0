/** The produce function's offset writes job: consumer offsets sent to a transaction (sendOffsets), committed with it. */
import type { TxnOffsetsRequest } from '../../protocol/txn-requests.js';
import type { TxnOffsetsReply } from '../../protocol/txn-replies.js';
import type { TxnDeps } from './deps.js';
import { sendOffsets } from './send-offsets.js';

export type OffsetWrites = (request: TxnOffsetsRequest) => Promise<TxnOffsetsReply>;

export function createOffsetWrites(deps: () => TxnDeps): OffsetWrites {
  return (request) => sendOffsets(deps(), request);
}
