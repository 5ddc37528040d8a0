/**
 * One member of a benchmarked consumer group: a group consumer on a
 * transport of its own, so each member is a separate "instance" with its own
 * handler caches. Its calls are routed to three embedded transports, one for
 * heartbeats, one for the other group calls (commits, committed offsets) and
 * one for fetching, each on a different DynamoDB client (shared by all
 * members), so the requests of each are counted apart. `kill()` makes the member die: every call fails from then on, so it
 * stops heartbeating without leaving and its session runs out.
 */
import type { GroupConsumer } from '../lib/client/consumer/group-consumer.js';
import { Kafkaless } from '../lib/client/kafkaless.js';
import type { InvokeOptions, Transport } from '../lib/client/transport.js';
import { KafkalessError } from '../lib/errors.js';
import type { FunctionRole } from '../lib/names.js';
import { isReply } from '../lib/protocol/reply.js';

export interface MemberTransports {
  /** Group heartbeats (join, beat, leave). */
  readonly beats: Transport;
  /** The other group calls: commitOffsets, fetchOffsets. */
  readonly groupOther: Transport;
  /** Everything else: fetch, listOffsets, metadata. */
  readonly log: Transport;
}

export type TimedCall = 'heartbeat' | 'fetch';

/** Group calls by action (`heartbeat`, `commitOffsets`, ...), and failed ones by action and error code (`heartbeat!CoordinatorLoadInProgress`). */
export type CallCounts = Map<string, number>;

export class MemberTransport implements Transport {
  dead = false;

  constructor(
    private readonly routes: MemberTransports,
    private readonly calls: CallCounts,
    /** Told how long each heartbeat and each fetch took, in ms. */
    private readonly onTimed: (call: TimedCall, durationMs: number) => void,
  ) {}

  async invoke(role: FunctionRole, request: object, options?: InvokeOptions): Promise<unknown> {
    if (this.dead) throw new KafkalessError('NetworkException', 'This member is dead');
    const action = String((request as { action?: unknown }).action);
    if (role !== 'group') return this.timed(role === 'fetch' && action === 'fetch' ? 'fetch' : undefined, () => this.routes.log.invoke(role, request, options));
    this.count(action);
    const route = action === 'heartbeat' ? this.routes.beats : this.routes.groupOther;
    const reply = await this.timed(action === 'heartbeat' ? 'heartbeat' : undefined, () => route.invoke(role, request, options));
    if (isReply(reply) && !reply.ok) this.count(`${action}!${reply.error.code}`);
    return reply;
  }

  private async timed<T>(call: TimedCall | undefined, work: () => Promise<T>): Promise<T> {
    const startedMs = performance.now();
    try {
      return await work();
    } finally {
      if (call !== undefined) this.onTimed(call, performance.now() - startedMs);
    }
  }

  private count(key: string): void {
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
  }

  async close(): Promise<void> {}
}

export interface MemberOptions {
  readonly index: number;
  readonly groupId: string;
  readonly topic: string;
  readonly sessionTimeoutMs: number;
  readonly routes: MemberTransports;
  readonly calls: CallCounts;
  readonly onTimed: (call: TimedCall, durationMs: number) => void;
  /** Told of every record the member processed. */
  readonly onRecord: (member: number, partition: number, offset: number) => void;
}

export type MemberState = 'live' | 'left' | 'dead';

export class BenchMember {
  readonly index: number;
  readonly consumer: GroupConsumer;
  state: MemberState = 'live';
  /** Times this member was fenced or expired and dropped its partitions (onPartitionsLost). */
  fenced = 0;
  private readonly transport: MemberTransport;

  constructor(options: MemberOptions) {
    this.index = options.index;
    this.transport = new MemberTransport(options.routes, options.calls, options.onTimed);
    this.consumer = new Kafkaless({ transport: this.transport }).consumer({
      'group.id': options.groupId,
      'session.timeout.ms': options.sessionTimeoutMs,
      'fetch.max.wait.ms': 500,
    });
    this.consumer.subscribe({ topic: options.topic, listener: { onPartitionsLost: () => void this.fenced++ } });
    void this.consumer.run({
      eachMessage: async ({ partition, message }) => options.onRecord(this.index, partition, Number(message.offset)),
      onError: () => undefined,
    });
  }

  /** The partitions this member's client holds now. */
  held(): number[] {
    return this.state === 'live' ? this.consumer.assignment().map((tp) => tp.partition) : [];
  }

  /** Leaves cleanly: revokes, commits, sends the leave heartbeat. */
  async leave(): Promise<void> {
    this.state = 'left';
    await this.consumer.disconnect();
  }

  /** Dies: from now on every call fails, heartbeats included. */
  kill(): void {
    this.state = 'dead';
    this.transport.dead = true;
  }

  /** Stops a live or dead member at the end of a run. */
  async close(): Promise<void> {
    if (this.state === 'left') return;
    this.state = 'left';
    await this.consumer.disconnect().catch(() => undefined);
  }
}
