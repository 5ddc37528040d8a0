/**
 * The last run of each maintenance step, in the partitions table under
 * `maintenance#<step>`: one item per step, overwritten by every run that
 * took that step (a scheduled run over everything, or a run asked for one
 * topic or partition, which says so in its scope). Written by the
 * maintenance run itself when it ends; read by the console. Nothing depends
 * on it for correctness: a lost write only leaves the previous record.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ErrorPayload } from '../errors.js';
import type { MaintenanceRunRecord } from '../protocol/inspection-replies.js';
import { batchGetAll } from './batch-get.js';
import { documentClient } from './document-client.js';
import { toInfrastructureError } from './dynamodb-errors.js';

export type { MaintenanceRunRecord } from '../protocol/inspection-replies.js';

export const MAINTENANCE_RUN_PREFIX = 'maintenance#';

export function maintenanceRunKey(step: string): string {
  return `${MAINTENANCE_RUN_PREFIX}${step}`;
}

export class MaintenanceRuns {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = documentClient(dynamodb);
  }

  async put(record: MaintenanceRunRecord): Promise<void> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: maintenanceRunKey(record.step), ...record } }));
    } catch (err) {
      throw toInfrastructureError(err, 'PutItem');
    }
  }

  /** The last run of each of these steps that has run at least once, in the order asked. */
  async last(steps: readonly string[]): Promise<MaintenanceRunRecord[]> {
    const items = await batchGetAll(this.doc, this.tableName, steps.map((step) => ({ pk: maintenanceRunKey(step) })));
    const byStep = new Map(items.map((item) => [String(item.step), item]));
    return steps.flatMap((step) => {
      const item = byStep.get(step);
      if (item === undefined) return [];
      const scope = (item.scope ?? {}) as MaintenanceRunRecord['scope'];
      return [
        {
          step,
          runId: String(item.runId),
          startedAt: Number(item.startedAt),
          finishedAt: Number(item.finishedAt),
          scope,
          outcome: (item.outcome ?? {}) as Record<string, number>,
          errors: (item.errors ?? []) as ErrorPayload[],
        },
      ];
    });
  }
}
