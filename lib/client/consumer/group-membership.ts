/**
 * A group consumer's membership: joins, heartbeats in the background at the
 * interval the coordinator gives, and keeps the member id, epoch and the
 * assignment the coordinator last handed out. It never changes what the
 * consumer holds: the consumer applies assignment changes between polls and
 * reports what it still holds through `owned()`. Coordinator calls (beats
 * and commits) go one at a time, so a commit always carries the latest epoch.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KafkalessError } from '../../errors.js';
import type { HeartbeatReply } from '../../protocol/group-replies.js';
import { call, type Transport } from '../transport.js';
import type { TopicPartition } from './consumer.js';
import type { ResolvedGroupConfig } from './group-config.js';

export interface Subscription {
  readonly topics?: readonly string[];
  readonly regex?: string;
}

export type MembershipState = 'unjoined' | 'member' | 'fenced' | 'left';

/** Errors after which the member must drop its partitions and join again. */
const FENCING_CODES = new Set(['UnknownMemberId', 'FencedMemberEpoch', 'GroupIdNotFound', 'FencedInstanceId']);

export class GroupMembership {
  memberId: string = randomUUID();
  memberEpoch = 0;
  state: MembershipState = 'unjoined';
  /** The partitions the coordinator last said this member may own. */
  assignment: TopicPartition[] = [];
  heartbeatIntervalMs = 3_000;
  /** Bumped whenever the member is fenced: work begun under an older generation must not take partitions. */
  generation = 0;
  /** A non-retriable failure of the last beat (bad subscription, unknown assignor), surfaced by the next poll. */
  failure: KafkalessError | undefined;
  private subscription: Subscription = {};
  private timer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  /** When the last beat that succeeded was sent: the coordinator cannot expire us before this plus the session timeout. */
  private lastOkSentMs = Date.now();
  private queue: Promise<unknown> = Promise.resolve();
  private running = false;

  constructor(
    private readonly transport: Transport,
    private readonly config: ResolvedGroupConfig,
    private readonly owned: () => TopicPartition[],
    /** Told at once when the member is fenced or its session presumed over, so its partitions are dropped then. */
    private readonly onFenced: () => void = () => undefined,
  ) {}

  subscribe(subscription: Subscription): void {
    this.subscription = subscription;
  }

  /** Runs coordinator calls one at a time. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Joins (memberEpoch 0) and starts beating. Throws what the join failed with. */
  async join(): Promise<void> {
    this.memberEpoch = 0;
    this.assignment = [];
    this.failure = undefined;
    await this.exclusive(() => this.send(0));
    this.running = true;
    this.schedule(this.heartbeatIntervalMs);
  }

  /** Beats now rather than at the next interval (after revoking partitions). */
  beatSoon(): void {
    if (this.running) this.schedule(0);
  }

  /** Leaves the group (static members keep their place until their session ends). */
  async leave(): Promise<void> {
    this.stop();
    if (this.state !== 'member') return;
    const epoch = this.config.instanceId !== undefined ? -2 : -1;
    try {
      await this.exclusive(() => this.send(epoch));
    } finally {
      this.state = 'left';
    }
  }

  /**
   * Past the session of the last beat that got through, the coordinator may
   * have expired this member and handed its partitions on: count them lost.
   */
  checkSession(nowMs = Date.now()): MembershipState {
    if (this.state === 'member' && nowMs >= this.sessionDeadlineMs()) this.fence();
    return this.state;
  }

  /** A little before the coordinator could expire us, so the partitions are dropped before anyone else may get them. */
  private sessionDeadlineMs(): number {
    const marginMs = Math.min(200, Math.floor(this.config.sessionTimeoutMs / 10));
    return this.lastOkSentMs + this.config.sessionTimeoutMs - marginMs;
  }

  /**
   * Fences on time even while the consumer is busy elsewhere (say, waiting
   * for a slow beat). A timer can fire a little before the deadline on the
   * wall clock; then it waits again rather than never fencing.
   */
  private armDeadline(): void {
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = undefined;
      if (this.state === 'member' && Date.now() < this.sessionDeadlineMs()) this.armDeadline();
      else this.checkSession();
    }, Math.max(0, this.sessionDeadlineMs() - Date.now()));
    this.deadlineTimer.unref();
  }

  private fence(): void {
    this.generation++;
    this.state = 'fenced';
    this.assignment = [];
    this.onFenced();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.timer = undefined;
    this.deadlineTimer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (!this.running) return;
    if (this.state === 'member') {
      // Fenced while this beat waited its turn: it is not sent (rejoining is the consumer's move, with nothing held).
      await this.exclusive(async () => (this.state === 'member' ? this.send(this.memberEpoch) : undefined)).catch(() => undefined);
      this.checkSession();
    }
    if (this.running) this.schedule(this.heartbeatIntervalMs);
  }

  private async send(memberEpoch: number): Promise<void> {
    const leaving = memberEpoch < 0;
    const sentMs = Date.now();
    const generation = this.generation;
    try {
      const reply = await call<HeartbeatReply>(this.transport, 'group', this.request(memberEpoch));
      if (leaving) return;
      // Fenced while this beat was out (its session deadline passed): the partitions were let go; rejoin rather than take them back.
      if (this.generation !== generation) return;
      this.memberId = reply.memberId;
      this.memberEpoch = reply.memberEpoch;
      this.assignment = reply.assignment.map((tp) => ({ topic: tp.topic, partition: tp.partition }));
      this.heartbeatIntervalMs = reply.heartbeatIntervalMs;
      this.lastOkSentMs = sentMs;
      this.state = 'member';
      // A reply that comes back after its own session deadline fences at once: the coordinator may expire us any moment.
      if (this.checkSession() === 'member') this.armDeadline();
    } catch (err) {
      if (!leaving && err instanceof KafkalessError) {
        if (FENCING_CODES.has(err.code)) this.fence();
        else if (!err.retriable) this.failure = err;
      }
      throw err;
    }
  }

  private request(memberEpoch: number): Record<string, unknown> {
    const joining = memberEpoch === 0;
    return {
      action: 'heartbeat',
      groupId: this.config.groupId,
      memberId: this.memberId,
      memberEpoch,
      ...(this.config.instanceId !== undefined ? { instanceId: this.config.instanceId } : {}),
      ...(this.subscription.regex !== undefined ? { subscribedTopicRegex: this.subscription.regex } : { subscribedTopics: [...(this.subscription.topics ?? [])] }),
      ...(this.config.assignor !== undefined ? { assignor: this.config.assignor } : {}),
      ...(joining || memberEpoch > 0 ? { sessionTimeoutMs: this.config.sessionTimeoutMs } : {}),
      ownedPartitions: joining ? [] : this.owned(),
      // The coordinator keeps them from the join on.
      ...(joining ? { clientId: this.config.clientId, clientHost: hostname().slice(0, 255) } : {}),
    };
  }
}
