/**
 * The group consumer: partitions come from its consumer group (KIP-848
 * style: the coordinator assigns, this member heartbeats and reconciles).
 * kafkajs-like `subscribe` and `run`, and a Java-like `poll` loop, built
 * from the same fetcher and consume loop as the plain consumer.
 *
 * Assignment changes are applied between polls: revoked partitions stop
 * being fetched, the listener is told (it may commit), processed offsets
 * are committed when auto-commit is on, and the next heartbeat reports them
 * released; new partitions start at the committed offset, else at
 * auto.offset.reset (earliest with `fromBeginning`). Only what was handed
 * over is committed: after the last record eachMessage finished or
 * eachBatch resolved, or, in poll mode, the records poll returned before
 * the current call (as Java's consumer). A member that does not poll for
 * max.poll.interval.ms leaves the group and rejoins at its next poll.
 */
import { KafkalessError } from '../../errors.js';
import type { CommitResult, CommittedOffset, FetchOffsetsReply } from '../../protocol/group-replies.js';
import { call, type Transport } from '../transport.js';
import { ConsumerCore, type PollOptions } from './consumer-core.js';
import type { ConsumeLoopOptions, LoopWork } from './consume-loop.js';
import { resolveGroupConfig, type GroupConsumerConfig, type ResolvedGroupConfig } from './group-config.js';
import { GroupCommits, type OffsetToCommit } from './group-commits.js';
import { GroupMembership, type Subscription } from './group-membership.js';
import { offsetsByTopic, tpKey as key, type ConsumerRecord, type OffsetsByTopicPartition, type RunOptions, type TopicPartition } from './records.js';

export type { OffsetToCommit } from './group-commits.js';

export interface RebalanceListener {
  /** Before partitions are given up; the consumer may still commit them here. */
  onPartitionsRevoked?(partitions: TopicPartition[]): Promise<void> | void;
  /** After partitions are taken and positioned (a seek here overrides the committed offset). */
  onPartitionsAssigned?(partitions: TopicPartition[]): Promise<void> | void;
  /** After the member was fenced, expired or left for not polling: the partitions are already someone else's, committing is futile. Default: onPartitionsRevoked. */
  onPartitionsLost?(partitions: TopicPartition[]): Promise<void> | void;
}

export interface SubscribeOptions {
  readonly topics?: readonly (string | RegExp)[];
  readonly topic?: string | RegExp;
  /** Partitions without a committed offset start at the earliest offset (else at auto.offset.reset). */
  readonly fromBeginning?: boolean;
  readonly listener?: RebalanceListener;
}

export interface GroupRunOptions extends RunOptions {
  /** Overrides enable.auto.commit for this run. */
  readonly autoCommit?: boolean;
}

/** Errors after which the member rejoins rather than stops. */
const REJOIN_CODES = new Set(['UnknownMemberId', 'FencedMemberEpoch', 'StaleMemberEpoch', 'GroupIdNotFound', 'FencedInstanceId', 'IllegalGeneration', 'RebalanceInProgress']);

export class GroupConsumer extends ConsumerCore {
  readonly groupConfig: ResolvedGroupConfig;
  private readonly membership: GroupMembership;
  private readonly commits: GroupCommits;
  private topicNames = new Set<string>();
  private topicRegex: RegExp | undefined;
  private fromBeginning = false;
  private listener: RebalanceListener = {};
  private returned: ConsumerRecord[] = [];
  /** Partitions dropped because the member was fenced or left for not polling, for onPartitionsLost at the next poll. */
  private lost: TopicPartition[] = [];
  private autoCommit: boolean;
  private lastAutoCommitMs = Date.now();
  private loopMode = false;
  private pollTimer: NodeJS.Timeout | undefined;
  /** The leave sent because max.poll.interval.ms passed, awaited before joining again. */
  private leaving: Promise<void> | undefined;

  constructor(transport: Transport, config: GroupConsumerConfig) {
    super(transport, config);
    this.groupConfig = resolveGroupConfig(config);
    this.autoCommit = this.groupConfig.autoCommit;
    this.membership = new GroupMembership(transport, this.groupConfig, () => this.assignment(), () => this.dropAll());
    this.commits = new GroupCommits(transport, this.groupConfig.groupId, this.membership, this.instrumentation);
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

  /** Records from the partitions this member owns (at most `maxRecords`); between polls, applies the group's assignment changes. */
  async poll(options: PollOptions = {}): Promise<ConsumerRecord[]> {
    if (!this.loopMode) this.markReturned();
    this.notePoll();
    await this.ensureJoined();
    await this.reconcile();
    await this.maybeAutoCommit();
    const records = await this.fetcher.fetch(options.timeoutMs ?? 0, options.maxRecords ?? Infinity);
    if (!this.loopMode) this.returned = records;
    return records;
  }

  override run(options: GroupRunOptions): Promise<void> {
    return super.run(options);
  }

  /** Stops, gives up the partitions (committing what was processed when auto-commit is on) and leaves the group. Rejects only if that last commit fails. */
  async disconnect(): Promise<void> {
    await this.stop();
    this.clearPollTimer();
    await this.leaving;
    if (!this.loopMode) this.markReturned();
    try {
      await this.release(this.autoCommit, true);
    } finally {
      this.instrumentation.emit('consumer.disconnect', {});
    }
  }

  /** Commits the given offsets, or every processed offset of the partitions held. */
  async commitSync(offsets?: readonly OffsetToCommit[]): Promise<CommitResult[]> {
    if (!this.loopMode) this.markReturned();
    if (offsets === undefined) return this.commits.commitMarked(this.assignment());
    return this.commits.commit(offsets);
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

  protected override beforeRun(options: GroupRunOptions): void {
    // A new run tries again what a crashed one failed on (the next join says whether it still fails).
    if (!this.isRunning()) this.membership.failure = undefined;
    if (options.autoCommit !== undefined) this.autoCommit = options.autoCommit;
    this.loopMode = true;
  }

  protected loopOptions(): Partial<ConsumeLoopOptions> {
    return {
      groupId: this.groupConfig.groupId,
      isRecoverable: (err) => err instanceof KafkalessError && REJOIN_CODES.has(err.code) && err !== this.membership.failure,
      onCrash: () => this.release(this.autoCommit, false),
    };
  }

  protected runWork(options: RunOptions): LoopWork {
    return { prepare: () => this.ensureJoined(), round: () => this.runRound(options, () => this.maybeAutoCommit()) };
  }

  /** A user's seek moves what is committed too (Java commits the position): a lower offset is sent as it is. */
  protected override sought(tp: TopicPartition, offset: number): void {
    if (!this.loopMode) this.markReturned();
    super.sought(tp, offset);
    this.commits.mark(tp, offset);
  }

  protected override markProcessed(tp: TopicPartition, nextOffset: number): void {
    super.markProcessed(tp, nextOffset);
    this.commits.mark(tp, nextOffset);
  }

  protected override holdsForDelivery(tp: TopicPartition): boolean {
    return this.fetcher.holds(tp) && this.membership.checkSession() !== 'fenced';
  }

  protected override async commitOffsetsIfNecessary(offsets?: OffsetsByTopicPartition): Promise<void> {
    if (offsets === undefined) return this.maybeAutoCommit();
    await this.commits.commit(offsets.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: p.offset }))));
  }

  protected override uncommittedOffsets(): OffsetsByTopicPartition {
    return offsetsByTopic(this.commits.pending(this.assignment()));
  }

  private subscription(): Subscription {
    return this.topicRegex !== undefined ? { regex: this.topicRegex.source } : { topics: [...this.topicNames].sort() };
  }

  /** In poll mode the records of the previous poll count as processed once poll is called again (as Java's consumer). */
  private markReturned(): void {
    for (const r of this.returned) if (this.fetcher.holds(r)) this.markProcessed(r, r.offset + 1);
    this.returned = [];
  }

  /** Restarts the max.poll.interval.ms clock. */
  private notePoll(): void {
    this.clearPollTimer();
    this.pollTimer = setTimeout(() => this.onPollTimeout(), this.groupConfig.maxPollIntervalMs);
    this.pollTimer.unref();
  }

  private clearPollTimer(): void {
    if (this.pollTimer !== undefined) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** Not polled for max.poll.interval.ms: commit what was processed, let the partitions go, and leave, so live members take them. */
  private onPollTimeout(): void {
    this.pollTimer = undefined;
    if (this.membership.state !== 'member') return;
    const processed = this.commits.pending(this.assignment());
    const autoCommit = this.autoCommit;
    this.dropAll();
    this.leaving = (async () => {
      try {
        if (autoCommit) await this.commits.commit(processed);
      } catch {
        // The next owner starts at the last commit: at least once.
      }
      await this.membership.leave().catch(() => undefined);
      this.leaving = undefined;
    })();
  }

  private async ensureJoined(): Promise<void> {
    if (this.leaving !== undefined) await this.leaving;
    const failure = this.membership.failure;
    if (failure !== undefined) throw failure;
    if (this.membership.state === 'unjoined' || this.membership.state === 'left') {
      if (this.topicNames.size === 0 && this.topicRegex === undefined) throw new KafkalessError('InvalidRequest', 'Subscribe before polling');
      await this.join();
    }
  }

  private async join(): Promise<void> {
    const startedMs = Date.now();
    await this.membership.join();
    const { groupId } = this.groupConfig;
    this.instrumentation.emit('consumer.group_join', { groupId, memberId: this.memberId, memberEpoch: this.memberEpoch, duration: Date.now() - startedMs });
  }

  /** Applies the coordinator's latest assignment: revocations first, then new partitions. */
  private async reconcile(): Promise<void> {
    if (this.membership.checkSession() === 'fenced') await this.recoverFromFencing();
    else if (this.lost.length > 0) await this.reportLost();
    const target = this.membership.assignment;
    const wanted = new Set(target.map(key));
    const revoked = this.assignment().filter((tp) => !wanted.has(key(tp)));
    if (revoked.length > 0) await this.revoke(revoked);
    const now = new Set(this.assignment().map(key));
    const added = target.filter((tp) => !now.has(key(tp)));
    const taken = added.length > 0 ? await this.take(added) : [];
    if (revoked.length > 0 || taken.length > 0) {
      this.instrumentation.emit('consumer.rebalancing', { groupId: this.groupConfig.groupId, memberId: this.memberId, assigned: taken, revoked });
    }
  }

  private async revoke(revoked: TopicPartition[]): Promise<void> {
    await this.listener.onPartitionsRevoked?.(revoked);
    if (this.autoCommit) await this.commits.commitMarked(revoked).catch(() => undefined);
    const gone = new Set(revoked.map(key));
    this.fetcher.assign(this.assignment().filter((tp) => !gone.has(key(tp))));
    this.commits.forget(revoked);
    this.membership.beatSoon();
  }

  /** Takes what the coordinator still gives, positioned at the committed offsets; returns what was taken. */
  private async take(wanted: TopicPartition[]): Promise<TopicPartition[]> {
    const generation = this.membership.generation;
    // Committed offsets first: should this fail, nothing is taken and the next poll tries again.
    const committed = new Map((await this.committed(wanted)).map((o) => [key(o), o.offset]));
    // Fenced meanwhile, or the assignment moved on: take only what the coordinator still gives us.
    if (this.membership.generation !== generation || this.membership.state !== 'member') return [];
    const still = new Set(this.membership.assignment.map(key));
    const held = new Set(this.assignment().map(key));
    const added = wanted.filter((tp) => still.has(key(tp)) && !held.has(key(tp)));
    if (added.length === 0) return [];
    this.fetcher.assign([...this.assignment(), ...added]);
    const fresh: TopicPartition[] = [];
    for (const tp of added) {
      const offset = committed.get(key(tp));
      if (offset === undefined) fresh.push(tp);
      else {
        this.fetcher.seek(tp, offset);
        this.commits.noteCommitted(tp, offset);
      }
    }
    if (this.fromBeginning && fresh.length > 0) await this.fetcher.seekTo(fresh, -2);
    await this.listener.onPartitionsAssigned?.(added);
    return added;
  }

  /** Gives up every partition held (telling the listener, committing if asked) and leaves the group. */
  private async release(commit: boolean, tellListener: boolean): Promise<void> {
    this.clearPollTimer();
    const held = this.assignment();
    try {
      if (held.length > 0 && this.membership.state === 'member') {
        if (tellListener) await this.listener.onPartitionsRevoked?.(held);
        if (commit) await this.commits.commitMarked(held);
      }
    } finally {
      this.fetcher.assign([]);
      this.commits.clear();
      await this.membership.leave().catch(() => undefined);
    }
  }

  /** Fenced, expired or timed out: stop holding everything at once, without a commit (the partitions may be someone else's). */
  private dropAll(): void {
    this.lost.push(...this.assignment());
    this.fetcher.assign([]);
    this.commits.clear();
    this.returned = [];
  }

  /** After fencing: tell the listener what was lost, and join again. */
  private async recoverFromFencing(): Promise<void> {
    this.dropAll();
    await this.reportLost();
    this.membership.stop();
    await this.join();
  }

  private async reportLost(): Promise<void> {
    const lost = this.lost;
    this.lost = [];
    if (lost.length > 0) await (this.listener.onPartitionsLost ?? this.listener.onPartitionsRevoked)?.call(this.listener, lost);
  }

  private async maybeAutoCommit(): Promise<void> {
    if (!this.autoCommit || Date.now() - this.lastAutoCommitMs < this.groupConfig.autoCommitIntervalMs) return;
    this.lastAutoCommitMs = Date.now();
    await this.commits.commitMarked(this.assignment()).catch(() => undefined);
  }
}
