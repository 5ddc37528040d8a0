/**
 * What the stack holds in S3 and DynamoDB, asked of the maintenance
 * function (which reads the stores maintenance uses, and writes nothing):
 * the last maintenance runs and the collector's candidates, a partition's
 * index items and objects, the bucket's objects and recent commits.
 */
import type { DescribeLogReply, MaintenanceStatusReply, StorageSummaryReply } from '../protocol/inspection-replies.js';
import { call, type Transport } from './transport.js';

export type { DescribeLogReply, MaintenanceStatusReply, StorageSummaryReply } from '../protocol/inspection-replies.js';

export class StorageInspection {
  constructor(private readonly transport: Transport) {}

  maintenanceStatus(): Promise<MaintenanceStatusReply> {
    return call<MaintenanceStatusReply>(this.transport, 'maintenance', { action: 'status' });
  }

  describeLog(options: { topic: string; partition: number; fromOffset?: number; limit?: number }): Promise<DescribeLogReply> {
    return call<DescribeLogReply>(this.transport, 'maintenance', { action: 'describeLog', ...options });
  }

  /** Objects in the bucket and the commits of the last `windowMs` (default one hour). */
  storageSummary(options: { windowMs?: number } = {}): Promise<StorageSummaryReply> {
    return call<StorageSummaryReply>(this.transport, 'maintenance', { action: 'storageSummary', ...options });
  }
}
