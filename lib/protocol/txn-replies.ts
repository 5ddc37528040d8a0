/** What the transaction actions answer. Plain JSON. */

export interface InitTransactionsReply {
  readonly producerId: number;
  readonly producerEpoch: number;
  /** The number the next transaction of this transactional id has. */
  readonly txnSeq: number;
}

export interface CommittedBatchRange {
  readonly topic: string;
  readonly partition: number;
  /** First and last offset the transaction's records took in this partition. */
  readonly baseOffset: number;
  readonly lastOffset: number;
}

export interface EndTxnReply {
  readonly committed: boolean;
  /** The number the next transaction of this transactional id has. */
  readonly nextTxnSeq: number;
  /** Offsets the committed records took (empty for an abort, or when a retried commit had already completed). */
  readonly partitions: readonly CommittedBatchRange[];
}

export interface TxnOffsetsReply {
  readonly staged: number;
}

/** The transaction a producer works in now, as its coordinator record says. */
export interface CurrentTransactionReply {
  readonly producerId: number;
  readonly producerEpoch: number;
  /** EMPTY: none open (the next is `txnSeq`); ONGOING: `txnSeq` is open; PREPARE_*: `txnSeq` is ending. */
  readonly state: 'EMPTY' | 'ONGOING' | 'PREPARE_COMMIT' | 'PREPARE_ABORT';
  readonly txnSeq: number;
  /** The last finished transaction's number and outcome, when one finished. */
  readonly lastSeq?: number;
  readonly lastOutcome?: 'COMMITTED' | 'ABORTED';
  /** Why it was aborted, when it was: its producer asked, it outlived its timeout, or a new instance took over. */
  readonly lastAbortReason?: 'client' | 'timeout' | 'fenced';
}
