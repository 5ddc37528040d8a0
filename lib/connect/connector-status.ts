/**
 * A connector's status as Kafka Connect's REST API shows it
 * (`GET /connectors/<name>/status`): the connector's state, each task's,
 * and a failed task's trace. Kafka Connect's workers are Lambda here: the
 * `worker_id` is `lambda`. Pure.
 */
import type { StoredConnectorState, TaskState } from '../storage/connector-store.js';

export interface TaskStatus {
  readonly id: number;
  readonly state: TaskState;
  readonly worker_id: string;
  readonly trace?: string;
}

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: { readonly state: 'RUNNING' | 'PAUSED'; readonly worker_id: string };
  readonly tasks: readonly TaskStatus[];
  readonly type: 'sink' | 'source';
}

const WORKER = 'lambda';

export function connectorStatus(name: string, type: 'sink' | 'source', tasksMax: number, stored: StoredConnectorState): ConnectorStatus {
  const tasks = Array.from({ length: tasksMax }, (_, id): TaskStatus => {
    const failure = stored.failures.get(id);
    if (failure !== undefined) return { id, state: 'FAILED', worker_id: WORKER, trace: failure.trace };
    return { id, state: stored.state === 'PAUSED' ? 'PAUSED' : 'RUNNING', worker_id: WORKER };
  });
  return { name, connector: { state: stored.state, worker_id: WORKER }, tasks, type };
}

/** The class names are sinks or sources. */
export function connectorType(connectorClass: string): 'sink' | 'source' {
  return /Sink/.test(connectorClass) ? 'sink' : 'source';
}

export interface PartitionHead {
  readonly topicId: string;
  readonly partition: number;
  readonly highWatermark: number;
}

/**
 * A DynamoDB Streams event as the partitions table's stream would carry it,
 * one head per partition: handed to the trigger function, it wakes the
 * subscriptions of those partitions at once. What `resume` and `restart`
 * send, so a connector catches up without waiting for the next append.
 */
export function wakeEvent(heads: readonly PartitionHead[]): { Records: unknown[] } {
  return {
    Records: heads.map((h, i) => ({
      eventName: 'MODIFY',
      eventSource: 'aws:dynamodb',
      dynamodb: { Keys: { pk: { S: `${h.topicId}#${h.partition}` } }, NewImage: { highWatermark: { N: String(h.highWatermark) } }, SequenceNumber: String(i + 1) },
    })),
  };
}
