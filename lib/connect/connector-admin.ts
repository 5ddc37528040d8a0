/**
 * Managing declared connectors, as Kafka Connect's REST API does: list,
 * status, pause, resume, restart. State lives in the connector store
 * (the partitions table); resume and restart also wake the connector's
 * partitions through the trigger, so a sink catches up at once instead of
 * at the next append. Used by `kafkaless connect`.
 */
import type { Admin } from '../client/admin.js';
import { KafkalessError } from '../errors.js';
import type { ConnectorStore } from '../storage/connector-store.js';
import { subscriptionLag, type PartitionLag } from '../triggers/subscription-lag.js';
import { connectorStatus, connectorType, wakeEvent, type ConnectorStatus, type PartitionHead } from './connector-status.js';

/** A connector as the stack declares it (the local state file lists them). */
export interface DeclaredConnector {
  readonly name: string;
  readonly connectorClass: string;
  readonly topics: readonly string[];
  readonly topicsRegex?: string;
  readonly tasksMax: number;
  readonly groupId: string;
  /** The connector's function: a source's resume and restart invoke it with a scan. */
  readonly functionName?: string;
}

export interface ConnectorAdminDeps {
  readonly store: ConnectorStore;
  readonly admin: Admin;
  /** Hands a DynamoDB Streams-shaped event to the trigger function. */
  readonly wake: (event: { Records: unknown[] }) => Promise<void>;
  /** Hands an event to a connector's own function (an S3 source's scan). */
  readonly invokeConnector?: (functionName: string, event: unknown) => Promise<void>;
  readonly now: () => number;
}

export interface ConnectorDescription extends ConnectorStatus {
  readonly connectorClass: string;
  readonly topics: readonly string[];
  readonly topicsRegex?: string;
  /** A sink's committed offsets and lag per partition. */
  readonly lag?: readonly PartitionLag[];
}

export class ConnectorAdmin {
  constructor(
    private readonly deps: ConnectorAdminDeps,
    private readonly connectors: readonly DeclaredConnector[],
  ) {}

  async list(): Promise<ConnectorStatus[]> {
    return Promise.all(this.connectors.map((c) => this.statusOf(c)));
  }

  async status(name: string): Promise<ConnectorDescription> {
    const c = this.find(name);
    const status = await this.statusOf(c);
    const topics = await this.topicsOf(c);
    const lag = connectorType(c.connectorClass) === 'sink' ? await subscriptionLag(this.deps.admin, { name: c.name, groupId: c.groupId, topics }) : undefined;
    return { ...status, connectorClass: c.connectorClass, topics: c.topics, ...(c.topicsRegex !== undefined ? { topicsRegex: c.topicsRegex } : {}), ...(lag !== undefined ? { lag } : {}) };
  }

  async pause(name: string): Promise<ConnectorStatus> {
    const c = this.find(name);
    await this.deps.store.setState(c.name, 'PAUSED', this.deps.now());
    return this.statusOf(c);
  }

  async resume(name: string): Promise<ConnectorStatus> {
    const c = this.find(name);
    await this.deps.store.setState(c.name, 'RUNNING', this.deps.now());
    await this.wake(c);
    return this.statusOf(c);
  }

  /** Restarts the failed tasks (Kafka Connect's `restart?includeTasks=true&onlyFailed=true`): they read again from the committed offsets. */
  async restart(name: string): Promise<ConnectorStatus> {
    const c = this.find(name);
    await this.deps.store.clearFailures(c.name, c.tasksMax);
    await this.wake(c);
    return this.statusOf(c);
  }

  private find(name: string): DeclaredConnector {
    const c = this.connectors.find((x) => x.name === name);
    if (c === undefined) throw new KafkalessError('InvalidRequest', `Connector ${name} not found (the stack declares ${this.connectors.map((x) => x.name).join(', ') || 'none'})`);
    return c;
  }

  private async statusOf(c: DeclaredConnector): Promise<ConnectorStatus> {
    return connectorStatus(c.name, connectorType(c.connectorClass), c.tasksMax, await this.deps.store.read(c.name, c.tasksMax));
  }

  private async topicsOf(c: DeclaredConnector): Promise<string[]> {
    if (c.topicsRegex === undefined) return [...c.topics];
    const pattern = new RegExp(`^(?:${c.topicsRegex})$`);
    return (await this.deps.admin.listTopics()).filter((t) => c.topics.includes(t) || pattern.test(t));
  }

  private async wake(c: DeclaredConnector): Promise<void> {
    if (c.connectorClass === 'S3Source') {
      // Objects that arrived while it was paused or failed were refused: a scan of the prefix reads them.
      if (c.functionName !== undefined) await this.deps.invokeConnector?.(c.functionName, { kafkaless: { scan: true } });
      return;
    }
    if (connectorType(c.connectorClass) !== 'sink') return;
    const topics = await this.topicsOf(c);
    if (topics.length === 0) return;
    const heads: PartitionHead[] = (await this.deps.admin.describeTopics({ topics })).flatMap((t) => t.partitions.map((p) => ({ topicId: t.topicId, partition: p.partition, highWatermark: p.highWatermark })));
    if (heads.length > 0) await this.deps.wake(wakeEvent(heads));
  }
}
