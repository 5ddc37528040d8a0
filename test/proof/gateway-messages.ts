/** What the proof and its gateway processes tell each other (argv JSON at launch, then IPC). */
import type { AwsFaultSettings } from '../../lib/aws/fault-middleware.js';
import type { FaultPoint } from '../../lib/faults.js';
import type { Deployment } from './deployment.js';

export interface GatewayLaunch {
  readonly deployment: Deployment;
  readonly port: number;
  /** Seeds this process's fault streams (each start of a gateway has its own). */
  readonly seed: number;
  readonly awsFaults: AwsFaultSettings;
  readonly pointRates: Readonly<Partial<Record<FaultPoint, number>>>;
  readonly sdkMaxAttempts: number;
  /** Where the gateway's log lines go (connections it closed on a failure: under faults, many). */
  readonly logFile: string;
  /** Whether faults are on at start (off once the workload is over). */
  readonly enabled: boolean;
}

export type GatewayParentMessage =
  | { readonly kind: 'storm'; readonly durationMs: number }
  | { readonly kind: 'enabled'; readonly enabled: boolean }
  | { readonly kind: 'close' };

export type GatewayChildMessage =
  | { readonly kind: 'listening'; readonly port: number }
  | { readonly kind: 'faults'; readonly counts: Readonly<Record<string, number>> }
  | { readonly kind: 'closed'; readonly counts: Readonly<Record<string, number>> };
