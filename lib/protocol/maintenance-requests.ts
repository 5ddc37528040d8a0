/**
 * What the maintenance function accepts: a run asked by hand (CLI, tests)
 * or EventBridge's scheduled event, which runs every step on every topic.
 */
import { z } from 'zod';
import { MAX_NAME_CHARS } from '../limits.js';

/**
 * The steps, in the order a run takes them: transaction recovery (abandoned
 * or half-committed transactions), then per partition segments, retention
 * and log compaction, then the collector, then expiry of silent group members.
 */
export const MAINTENANCE_STEPS = ['transactions', 'segments', 'retention', 'compaction', 'gc', 'groups'] as const;
export type MaintenanceStep = (typeof MAINTENANCE_STEPS)[number];

export const maintenanceRunRequest = z
  .object({
    action: z.literal('run'),
    /** One topic; all topics when absent. */
    topic: z.string().max(MAX_NAME_CHARS).optional(),
    /** Partitions of `topic`; all when absent. */
    partitions: z.array(z.number().int().min(0)).min(1).max(10_000).optional(),
    /** Steps to run, in the fixed order of MAINTENANCE_STEPS; all when absent. */
    steps: z.array(z.enum(MAINTENANCE_STEPS)).min(1).max(MAINTENANCE_STEPS.length).optional(),
  })
  .strict();

/** EventBridge's event for a schedule rule (only the fields read). */
export const scheduledEvent = z.object({ 'detail-type': z.literal('Scheduled Event'), source: z.string().optional() }).loose();

/** The last run of each step, and the collector's candidates as it sees them now (the console's maintenance view). Reads only. */
export const maintenanceStatusRequest = z.object({ action: z.literal('status') }).strict();

/** A partition's index items, the objects they point at and those objects' registry items, from an offset. Reads only. */
export const describeLogRequest = z
  .object({
    action: z.literal('describeLog'),
    topic: z.string().max(MAX_NAME_CHARS),
    partition: z.number().int().min(0),
    /** The first item listed is the one holding this offset (the log start when absent). */
    fromOffset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

/** Objects in the bucket, and commits over the last `windowMs` per topic and per minute. Reads only. */
export const storageSummaryRequest = z
  .object({ action: z.literal('storageSummary'), windowMs: z.number().int().min(60_000).max(24 * 60 * 60 * 1000).optional() })
  .strict();

export const maintenanceRequest = z.union([maintenanceRunRequest, maintenanceStatusRequest, describeLogRequest, storageSummaryRequest, scheduledEvent]);

export type MaintenanceRunRequest = z.infer<typeof maintenanceRunRequest>;
export type MaintenanceStatusRequest = z.infer<typeof maintenanceStatusRequest>;
export type DescribeLogRequest = z.infer<typeof describeLogRequest>;
export type StorageSummaryRequest = z.infer<typeof storageSummaryRequest>;
export type MaintenanceRequest = z.infer<typeof maintenanceRequest>;
/** The requests that only read. */
export type InspectionRequest = MaintenanceStatusRequest | DescribeLogRequest | StorageSummaryRequest;

export function isInspection(request: MaintenanceRequest): request is InspectionRequest {
  return 'action' in request && (request.action === 'status' || request.action === 'describeLog' || request.action === 'storageSummary');
}

/** A request as a run: the scheduled event means everything. */
export function toRunRequest(request: Exclude<MaintenanceRequest, InspectionRequest>): MaintenanceRunRequest {
  return 'action' in request && request.action === 'run' ? (request as MaintenanceRunRequest) : { action: 'run' };
}
