/**
 * The gateway proof's gateway processes: each a child running
 * gateway-launcher.ts (a `kafkaless gateway` over the run's stack with
 * faults injected under it), on a fixed port so one killed with SIGKILL
 * comes back where its clients look for it. Faults they inject are added
 * to the run's counts as they report them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AwsFaultSettings } from '../../lib/aws/fault-middleware.js';
import type { FaultCounts, FaultPoint } from '../../lib/faults.js';
import { findFreePort } from '../../lib/local/free-port.js';
import type { Deployment } from './deployment.js';
import type { GatewayChildMessage, GatewayLaunch, GatewayParentMessage } from './gateway-messages.js';
import { deriveSeed } from './seeds.js';

const LAUNCHER = fileURLToPath(new URL('./gateway-launcher.ts', import.meta.url));

export interface FleetOptions {
  readonly deployment: Deployment;
  readonly seed: number;
  readonly awsFaults: AwsFaultSettings;
  readonly pointRates: Readonly<Partial<Record<FaultPoint, number>>>;
  readonly counts: FaultCounts;
  /** The SDK's own attempts per AWS call, per gateway (1 hands every AWS fault to the broker's code). */
  readonly sdkMaxAttempts: readonly number[];
  /** Each gateway's log goes to `${logPrefix}-<i>.log`. */
  readonly logPrefix: string;
}

interface Slot {
  readonly port: number;
  readonly sdkMaxAttempts: number;
  child?: ChildProcess;
  starts: number;
}

export class GatewayFleet {
  private enabled = true;
  kills = 0;

  private constructor(
    private readonly o: FleetOptions,
    private readonly slots: Slot[],
  ) {}

  static async start(o: FleetOptions): Promise<GatewayFleet> {
    const slots: Slot[] = [];
    for (const sdkMaxAttempts of o.sdkMaxAttempts) slots.push({ port: await findFreePort(), sdkMaxAttempts, starts: 0 });
    const fleet = new GatewayFleet(o, slots);
    await Promise.all(slots.map((_, i) => fleet.launch(i)));
    return fleet;
  }

  logFile(i: number): string {
    return `${this.o.logPrefix}-${i}.log`;
  }

  /** host:port of each gateway. */
  get brokers(): string[] {
    return this.slots.map((s) => `127.0.0.1:${s.port}`);
  }

  private async launch(i: number): Promise<void> {
    const slot = this.slots[i]!;
    slot.starts++;
    const launch: GatewayLaunch = {
      deployment: this.o.deployment,
      port: slot.port,
      seed: deriveSeed(this.o.seed, `gateway ${i} start ${slot.starts}`),
      awsFaults: this.o.awsFaults,
      pointRates: this.o.pointRates,
      sdkMaxAttempts: slot.sdkMaxAttempts,
      logFile: this.logFile(i),
      enabled: this.enabled,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', LAUNCHER, JSON.stringify(launch)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, NODE_NO_WARNINGS: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    slot.child = child;
    child.on('message', (m: GatewayChildMessage) => {
      if (m.kind === 'faults' || m.kind === 'closed') for (const [kind, n] of Object.entries(m.counts)) this.o.counts.add(kind, n);
    });
    await new Promise<void>((done, fail) => {
      const onMessage = (m: GatewayChildMessage) => {
        if (m.kind !== 'listening') return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        done();
      };
      const onExit = (code: number | null) => fail(new Error(`gateway ${i} exited with ${code} before listening`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  private tell(message: GatewayParentMessage): void {
    for (const s of this.slots) if (s.child?.connected === true) s.child.send(message);
  }

  storm(durationMs: number): void {
    this.tell({ kind: 'storm', durationMs });
  }

  setFaults(enabled: boolean): void {
    this.enabled = enabled;
    this.tell({ kind: 'enabled', enabled });
  }

  /** SIGKILLs gateway i (whatever it was doing is cut off) and, after `downMs`, starts it again on the same port. */
  async killAndRestart(i: number, downMs: number): Promise<void> {
    const child = this.slots[i]!.child!;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGKILL');
    await exited;
    this.kills++;
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.launch(i);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.slots.map(async (s) => {
        const child = s.child;
        if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        if (child.connected) child.send({ kind: 'close' } satisfies GatewayParentMessage);
        else child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
