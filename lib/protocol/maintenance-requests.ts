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

export const maintenanceRequest = z.union([maintenanceRunRequest, scheduledEvent]);

export type MaintenanceRunRequest = z.infer<typeof maintenanceRunRequest>;
export type MaintenanceRequest = z.infer<typeof maintenanceRequest>;

/** A request as a run: the scheduled event means everything. */
export function toRunRequest(request: MaintenanceRequest): MaintenanceRunRequest {
  return 'action' in request && request.action === 'run' ? (request as MaintenanceRunRequest) : { action: 'run' };
}
