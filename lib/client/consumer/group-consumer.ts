/**
 * The group consumer: the low-level consumer whose partitions come from its
 * consumer group (KIP-848 style: the coordinator assigns, this member
 * heartbeats and reconciles). kafkajs-like `subscribe` and `run`, and a
 * Java-like `poll` loop. Assignment changes are applied between polls:
 * revoked partitions stop being fetched, the listener is told (it may
 * commit), processed offsets are committed when auto-commit is on, and the
 * next heartbeat reports them released; new partitions start at the
 * committed offset, else at auto.offset.reset (earliest with
 * `fromBeginning`). Offsets are committed after processing: at least once.
 */
import { KafkalessError } from '../../errors.js';
import type { CommitOffsetsReply, CommitResult, CommittedOffset, FetchOffsetsReply } from '../../protocol/group-replies.js';
import { call, type Transport } from '../transport.js';
import { Consumer, toKafkaMessage, type ConsumerRecord, type EachBatchPayload, type EachMessagePayload, type TopicPartition } from './consumer.js';
import { resolveGroupConfig, type GroupConsumerConfig, type ResolvedGroupConfig } from './group-config.js';
import { GroupMembership, type Subscription } from './group-membership.js';

export interface RebalanceListener {
  /** Before partitions are given up; the consumer may still commit them here. */
  onPartitionsRevoked?(partitions: TopicPartition[]): Promise<void> | void;
  /** After partitions are taken and positioned (a seek here overrides the committed offset). */
  onPartitionsAssigned?(partitions: TopicPartition[]): Promise<void> | void;
  /** After the member was fenced or expired: the partitions are already someone else's, committing is futile. Default: onPartitionsRevoked. */
  onPartitionsLost?(partitions: TopicPartition[]): Promise<void> | void;
}

export interface SubscribeOptions {
  readonly topics?: readonly (string | RegExp)[];
  readonly topic?: string | RegExp;
  /** Partitions without a committed offset start at the earliest offset (else at auto.offset.reset). */
  readonly fromBeginning?: boolean;
  readonly listener?: RebalanceListener;
}

export interface GroupRunOptions {
  readonly eachMessage?: (payload: EachMessagePayload) => Promise<void>;
  readonly eachBatch?: (payload: EachBatchPayload) => Promise<void>;
  /** Overrides enable.auto.commit for this run. */
  readonly autoCommit?: boolean;
  /** Told of failures the loop survives (a callback that threw is retried from the failed record). */
  readonly onError?: (err: unknown) => void;
}

export interface OffsetToCommit {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to consume, as Kafka commits it. */
  readonly offset: number | string;
  readonly metadata?: string;
}

const key = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;
const RETRY_DELAY_MS = 200;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class GroupConsumer extends Consumer {
  readonly groupConfig: ResolvedGroupConfig;
  private readonly membership: GroupMembership;
  private topicNames = new Set<string>();
  private topicRegex: RegExp | undefined;
  private fromBeginning = false;
  private listener: RebalanceListener = {};
  /** Next offset to commit per partition: after the last processed record. */
  private readonly consumed = new Map<string, { tp: TopicPartition; offset: number }>();
  private readonly lastCommitted = new Map<string, number>();
  private returned: ConsumerRecord[] = [];
  /** Partitions dropped because the member was fenced, for onPartitionsLost at the next poll. */
  private lost: TopicPartition[] = [];
  private autoCommit: boolean;
  private lastAutoCommitMs = Date.now();
  private loopMode = false;
  private loopRunning = false;
  private loopDone: Promise<void> | undefined;

  constructor(transport: Transport, config: GroupConsumerConfig) {
    super(transport, config);
    this.groupConfig = resolveGroupConfig(config);
    this.autoCommit = this.groupConfig.autoCommit;
    this.membership = new GroupMembership(transport, this.groupConfig, () => this.assignment(), () => this.dropAll());
  }

  get memberId(): string {
    return this.membership.memberId;
  }

  get memberEpoch(): number {
    return this.membership.memberEpoch;
  }

  /** Adds topics (names or one regex) to the subscription; takes effect at the next heartbeat. */
  subscribe(options: SubscribeOptions): void {
    const wanted = [...(options.topics ?? []), ...(options.topic !== undefined ? [options.topic] : [])];
    if (wanted.length === 0) throw new KafkalessError('InvalidRequest', 'subscribe needs topic or topics');
    for (const t of wanted) {
      if (t instanceof RegExp) this.topicRegex = t;
      else this.topicNames.add(t);
    }
    if (this.topicRegex !== undefined && this.topicNames.size > 0) {
      throw new KafkalessError('InvalidRequest', 'Subscribe to topic names or to one regex, not both');
    }
    if (options.fromBeginning === true) this.fromBeginning = true;
    if (options.listener !== undefined) this.listener = options.listener;
    this.membership.subscribe(this.subscription());
  }

  /** A group consumer's partitions come from its group. */
  override assign(_partitions: readonly TopicPartition[]): void {
    throw new KafkalessError('InvalidRequest', "A group consumer's partitions are assigned by its group; use subscribe(), or a consumer without group.id to assign by hand");
  }

  /** Records from the partitions this member owns; between polls, applies the group's assignment changes. */
  override async poll(options: { timeoutMs?: number } = {}): Promise<ConsumerRecord[]> {
    if (!this.loopMode) this.markReturned();
    await this.ensureJoined();
    await this.reconcile();
    await this.maybeAutoCommit();
    const records = await super.poll(options);
    if (!this.loopMode) this.returned = records;
    return records;
  }

  /** Polls and hands records to the callbacks until `stop()`; commits after processing. */
  override async run(options: GroupRunOptions): Promise<void> {
    if (options.eachMessage === undefined && options.eachBatch === undefined) {
      throw new KafkalessError('InvalidRequest', 'run needs eachMessage or eachBatch');
    }
    if (this.loopRunning) throw new KafkalessError('InvalidRequest', 'The consumer is already running');
    if (options.autoCommit !== undefined) this.autoCommit = options.autoCommit;
    this.loopMode = true;
    this.loopRunning = true;
    this.loopDone = this.loop(options);
  }

  override async stop(): Promise<void> {
    this.loopRunning = false;
    await this.loopDone;
  }

  /** Stops, gives up the partitions (committing them when auto-commit is on) and leaves the group. */
  override async disconnect(): Promise<void> {
    await this.stop();
    if (!this.loopMode) this.markReturned();
    const held = this.assignment();
    try {
      if (held.length > 0 && this.membership.state === 'member') {
        await this.listener.onPartitionsRevoked?.(held);
        if (this.autoCommit) await this.commitConsumed(held);
      }
    } finally {
      super.assign([]);
      this.consumed.clear();
      await this.membership.leave().catch(() => undefined);
    }
  }

  /** Commits the given offsets, or every processed offset of the partitions held. */
  async commitSync(offsets?: readonly OffsetToCommit[]): Promise<CommitResult[]> {
    if (!this.loopMode) this.markReturned();
    if (offsets === undefined) return this.commitConsumed(this.assignment());
    return this.commit(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: Number(o.offset), ...(o.metadata !== undefined ? { metadata: o.metadata } : {}) })));
  }

  /** As commitSync, without waiting; the callback hears the outcome. */
  commitAsync(offsets?: readonly OffsetToCommit[], callback?: (err: unknown, result?: CommitResult[]) => void): void {
    this.commitSync(offsets).then(
      (result) => callback?.(undefined, result),
      (err: unknown) => callback?.(err),
    );
  }

  /** The group's committed offsets of these partitions (default: those held). */
  async committed(partitions: readonly TopicPartition[] = this.assignment()): Promise<CommittedOffset[]> {
    const topics = [...new Set(partitions.map((tp) => tp.topic))];
    if (topics.length === 0) return [];
    const reply = await call<FetchOffsetsReply>(this.transport, 'group', { action: 'fetchOffsets', groupId: this.groupConfig.groupId, topics });
    const wanted = new Set(partitions.map(key));
    return reply.offsets.filter((o) => wanted.has(key(o)));
  }

  private subscription(): Subscription {
    return this.topicRegex !== undefined ? { regex: this.topicRegex.source } : { topics: [...this.topicNames].sort() };
  }

  private async loop(options: GroupRunOptions): Promise<void> {
    while (this.loopRunning) {
      try {
        const records = await this.poll({ timeoutMs: this.config.fetchMaxWaitMs });
        await this.deliverTracked(records, options);
      } catch (err) {
        options.onError?.(err);
        if (err instanceof KafkalessError && !err.retriable && this.membership.failure === err) {
          this.loopRunning = false;
          break;
        }
        await sleep(RETRY_DELAY_MS);
      }
    }
  }

  /** Hands records to the callbacks, noting each processed offset; a failed callback's partition is rewound to the failed record. */
  private async deliverTracked(records: readonly ConsumerRecord[], options: GroupRunOptions): Promise<void> {
    const byPartition = new Map<string, ConsumerRecord[]>();
    for (const r of records) byPartition.set(key(r), [...(byPartition.get(key(r)) ?? []), r]);
    for (const batch of byPartition.values()) {
      const first = batch[0]!;
      if (!this.loopRunning || this.sessionLost()) return;
      if (!this.holds(first)) continue;
      try {
        if (options.eachBatch !== undefined) {
          await options.eachBatch({
            batch: { topic: first.topic, partition: first.partition, highWatermark: String(this.highWatermark(first) ?? -1), messages: batch.map(toKafkaMessage) },
          });
          this.markConsumed(batch[batch.length - 1]!);
          continue;
        }
        for (const r of batch) {
          if (!this.loopRunning) return this.rewind(r);
          if (this.sessionLost() || !this.holds(r)) break;
          await options.eachMessage!({ topic: r.topic, partition: r.partition, message: toKafkaMessage(r) });
          this.markConsumed(r);
        }
      } catch (err) {
        const done = this.consumed.get(key(first))?.offset ?? first.offset;
        this.rewind({ ...first, offset: Math.max(done, first.offset) });
        options.onError?.(err);
      }
    }
  }

  /** The member's session may have ended at the coordinator: stop handing out records (the next poll drops the partitions). */
  private sessionLost(): boolean {
    return this.membership.checkSession() === 'fenced';
  }

  private holds(tp: TopicPartition): boolean {
    return this.assignment().some((held) => held.topic === tp.topic && held.partition === tp.partition);
  }

  /** Fetches this partition again from the record given. */
  private rewind(record: ConsumerRecord): void {
    if (this.assignment().some((tp) => key(tp) === key(record))) this.seek({ topic: record.topic, partition: record.partition, offset: record.offset });
  }

  private markConsumed(record: ConsumerRecord): void {
    this.consumed.set(key(record), { tp: { topic: record.topic, partition: record.partition }, offset: record.offset + 1 });
  }

  /** In poll mode the records of the previous poll count as processed once poll is called again (as Java's consumer). */
  private markReturned(): void {
    const held = new Set(this.assignment().map(key));
    for (const r of this.returned) if (held.has(key(r))) this.markConsumed(r);
    this.returned = [];
  }

  private async ensureJoined(): Promise<void> {
    const failure = this.membership.failure;
    if (failure !== undefined) throw failure;
    if (this.membership.state === 'unjoined' || this.membership.state === 'left') {
      if (this.topicNames.size === 0 && this.topicRegex === undefined) throw new KafkalessError('InvalidRequest', 'Subscribe before polling');
      await this.membership.join();
    }
  }

  /** Applies the coordinator's latest assignment: revocations first, then new partitions. */
  private async reconcile(): Promise<void> {
    if (this.membership.checkSession() === 'fenced') await this.recoverFromFencing();
    else if (this.lost.length > 0) await this.reportLost();
    const target = this.membership.assignment;
    const wanted = new Set(target.map(key));
    const held = this.assignment();
    const revoked = held.filter((tp) => !wanted.has(key(tp)));
    if (revoked.length > 0) await this.revoke(revoked);
    const now = new Set(this.assignment().map(key));
    const added = target.filter((tp) => !now.has(key(tp)));
    if (added.length > 0) await this.take(added);
  }

  private async revoke(revoked: TopicPartition[]): Promise<void> {
    await this.listener.onPartitionsRevoked?.(revoked);
    if (this.autoCommit) await this.commitConsumed(revoked).catch(() => undefined);
    const gone = new Set(revoked.map(key));
    super.assign(this.assignment().filter((tp) => !gone.has(key(tp))));
    for (const k of gone) {
      this.consumed.delete(k);
      this.lastCommitted.delete(k);
    }
    this.membership.beatSoon();
  }

  private async take(wanted: TopicPartition[]): Promise<void> {
    const generation = this.membership.generation;
    // Committed offsets first: should this fail, nothing is taken and the next poll tries again.
    const committed = new Map((await this.committed(wanted)).map((o) => [key(o), o.offset]));
    // Fenced meanwhile, or the assignment moved on: take only what the coordinator still gives us.
    if (this.membership.generation !== generation || this.membership.state !== 'member') return;
    const still = new Set(this.membership.assignment.map(key));
    const held = new Set(this.assignment().map(key));
    const added = wanted.filter((tp) => still.has(key(tp)) && !held.has(key(tp)));
    if (added.length === 0) return;
    super.assign([...this.assignment(), ...added]);
    const fresh: TopicPartition[] = [];
    for (const tp of added) {
      const offset = committed.get(key(tp));
      if (offset === undefined) fresh.push(tp);
      else {
        this.seek({ ...tp, offset });
        this.lastCommitted.set(key(tp), offset);
      }
    }
    if (this.fromBeginning && fresh.length > 0) await this.seekToBeginning(fresh);
    await this.listener.onPartitionsAssigned?.(added);
  }

  /** Fenced or expired: stop holding everything at once, without a commit (the partitions may be someone else's). */
  private dropAll(): void {
    this.lost.push(...this.assignment());
    super.assign([]);
    this.consumed.clear();
    this.lastCommitted.clear();
    this.returned = [];
  }

  /** After fencing: tell the listener what was lost, and join again. */
  private async recoverFromFencing(): Promise<void> {
    this.dropAll();
    await this.reportLost();
    this.membership.stop();
    await this.membership.join();
  }

  private async reportLost(): Promise<void> {
    const lost = this.lost;
    this.lost = [];
    if (lost.length > 0) await (this.listener.onPartitionsLost ?? this.listener.onPartitionsRevoked)?.call(this.listener, lost);
  }

  private async maybeAutoCommit(): Promise<void> {
    if (!this.autoCommit || Date.now() - this.lastAutoCommitMs < this.groupConfig.autoCommitIntervalMs) return;
    this.lastAutoCommitMs = Date.now();
    await this.commitConsumed(this.assignment()).catch(() => undefined);
  }

  /** Commits the processed offsets of these partitions that moved since their last commit. */
  private async commitConsumed(partitions: readonly TopicPartition[]): Promise<CommitResult[]> {
    const offsets = partitions
      .map((tp) => this.consumed.get(key(tp)))
      .filter((c): c is { tp: TopicPartition; offset: number } => c !== undefined && this.lastCommitted.get(key(c.tp)) !== c.offset)
      .map((c) => ({ topic: c.tp.topic, partition: c.tp.partition, offset: c.offset }));
    if (offsets.length === 0) return [];
    return this.commit(offsets);
  }

  private async commit(offsets: readonly { topic: string; partition: number; offset: number; metadata?: string }[]): Promise<CommitResult[]> {
    if (offsets.length === 0) return [];
    const reply = await this.membership.exclusive(() =>
      call<CommitOffsetsReply>(this.transport, 'group', {
        action: 'commitOffsets',
        groupId: this.groupConfig.groupId,
        memberId: this.membership.memberId,
        memberEpoch: this.membership.memberEpoch,
        offsets,
      }),
    );
    for (const r of reply.offsets) this.lastCommitted.set(key(r), r.offset);
    return [...reply.offsets];
  }
}
