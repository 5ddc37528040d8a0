/** The consumer-group benchmark's tables. */
import { AWS_PRICES, HOURS_PER_MONTH, PRICES_AS_OF, PRICES_REGION } from '../lib/aws/prices.js';
import type { CounterSnapshot } from './request-counter.js';
import type { ChangeResult, ScenarioResult, SteadyState } from './groups-scenario.js';
import { percentile } from './groups-tracker.js';
import { fixed, int, printTable, usd } from './table.js';

const seconds = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : 'timeout');
const ms = (n: number): string => (Number.isFinite(n) ? int(n) : '-');

const CHANGE_LABEL: Record<ChangeResult['kind'], string> = { join: 'joins', leave: 'leaves', die: 'dies' };

export interface ReportContext {
  readonly partitions: number;
  readonly produceIntervalMs: number;
}

export function printRebalances(results: readonly ScenarioResult[], ctx: ReportContext): void {
  const rows: string[][] = [];
  for (const r of results) {
    const session = `${r.sessionTimeoutMs}`;
    rows.push([`${r.size}`, session, 'group forms', `0 → ${r.size}`, seconds(r.formation.coordinatorMs), seconds(r.formation.clientsMs), '', '', '', '', '', '', '']);
    if (!r.formed) rows.push([`${r.size}`, session, '(no changes made: the group never settled)', '', '', '', '', '', '', '', '', '', '']);
    for (const c of r.changes) {
      const pauses = c.window.handoffs.map((h) => h.pauseMs).sort((a, b) => a - b);
      const moved = new Set(c.window.handoffs.map((h) => h.partition)).size;
      rows.push([
        `${r.size}`,
        session,
        `a member ${CHANGE_LABEL[c.kind]}`,
        `${c.membersBefore} → ${c.membersAfter}`,
        seconds(c.stable.coordinatorMs),
        seconds(c.stable.clientsMs),
        `${moved}`,
        ms(percentile(pauses, 0.5)),
        ms(percentile(pauses, 1)),
        ms(c.window.keptMaxGapMs),
        ms(r.steady.window.keptMaxGapMs),
        int(c.window.redelivered),
        `${c.fenced}`,
      ]);
    }
  }
  printTable(
    `Rebalance after a membership change (${ctx.partitions} partitions, one record per partition every ${ctx.produceIntervalMs} ms)`,
    ['members', 'session ms', 'change', 'members', 'STABLE s', 'clients s', 'moved', 'pause p50 ms', 'pause max ms', 'kept max gap ms', 'steady max gap ms', 'redelivered', 'fenced'],
    rows,
    [
      'session ms: session.timeout.ms; members heartbeat every third of it, at most every 5 s (1 s at 3000, 5 s at 15000).',
      'STABLE s: from the change to the coordinator first describing the group STABLE with the new member count (asked every 100 ms, every N ms for N members above 100).',
      'clients s: from the change to the live members\' clients holding every partition exactly once, balanced (the target).',
      'moved: partitions whose records came from another member afterwards; pause: last record the old owner processed → first the new owner did.',
      'kept max gap: the longest any partition that kept its owner went without a record during the change (steady max gap: the same in steady state).',
      'redelivered: records processed a second time (the new owner starts at the last committed offset; auto-commit every 5 s).',
      'fenced: members other than the one killed that were fenced or expired meanwhile and dropped their partitions (a missed session under load).',
    ],
  );
}

interface PerMemberMinute {
  readonly beats: number;
  readonly failedBeats: Readonly<Record<string, number>>;
  readonly commits: number;
  readonly fetchOffsets: number;
  readonly beatRequests: Readonly<Record<string, number>>;
  readonly otherRequests: Readonly<Record<string, number>>;
  readonly beatWru: number;
  readonly beatRru: number;
  readonly otherWru: number;
  readonly otherRru: number;
}

function perMemberMinute(s: SteadyState): PerMemberMinute {
  const scale = 60_000 / s.durationMs / s.members;
  const scaled = (snapshot: CounterSnapshot): Record<string, number> =>
    Object.fromEntries(Object.entries(snapshot.requests).map(([k, v]) => [k.replace(/^dynamodb:/, ''), v * scale]));
  return {
    beats: (s.calls.heartbeat ?? 0) * scale,
    failedBeats: Object.fromEntries(
      Object.entries(s.calls)
        .filter(([k]) => k.startsWith('heartbeat!'))
        .map(([k, v]) => [k.slice('heartbeat!'.length), v * scale]),
    ),
    commits: (s.calls.commitOffsets ?? 0) * scale,
    fetchOffsets: (s.calls.fetchOffsets ?? 0) * scale,
    beatRequests: scaled(s.beats),
    otherRequests: scaled(s.other),
    beatWru: s.beats.writeUnits * scale,
    beatRru: s.beats.readUnits * scale,
    otherWru: s.other.writeUnits * scale,
    otherRru: s.other.readUnits * scale,
  };
}

const total = (r: Readonly<Record<string, number>>): number => Object.values(r).reduce((a, b) => a + b, 0);
const kinds = (r: Readonly<Record<string, number>>): string =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${fixed(v)}`)
    .join(', ');

/** US dollars per member-month for so many units a minute. */
function monthlyUsd(wruPerMinute: number, rruPerMinute: number): number {
  const minutes = HOURS_PER_MONTH * 60;
  return minutes * (wruPerMinute * AWS_PRICES.dynamodbWritePerUnit.usd + rruPerMinute * AWS_PRICES.dynamodbReadPerUnit.usd);
}

export function printSteadyState(results: readonly ScenarioResult[]): void {
  const per = results.map((r) => ({
    size: r.size,
    session: `${r.sessionTimeoutMs}`,
    m: perMemberMinute(r.steady),
    seconds: r.steady.durationMs / 1000,
    fenced: r.steady.fenced,
    beatMs: r.steady.beatDurationsMs,
    fetchMs: r.steady.fetchDurationsMs,
  }));
  printTable(
    'Steady state: group calls and DynamoDB requests per member per minute (auto-commit every 5 s)',
    ['members', 'session ms', 'measured s', 'fenced', 'fetch ms p50/p99', 'heartbeats', 'beat ms p50/p99', 'failed beats', 'DDB req/beat', 'heartbeat DDB requests', 'commits', 'fetchOffsets', 'DDB req/commit', 'commit DDB requests'],
    per.map(({ size, session, m, seconds: s, fenced, beatMs, fetchMs }) => [
      `${size}`,
      session,
      fixed(s, 0),
      `${fenced}`,
      `${ms(percentile(fetchMs, 0.5))}/${ms(percentile(fetchMs, 0.99))}`,
      fixed(m.beats),
      `${ms(percentile(beatMs, 0.5))}/${ms(percentile(beatMs, 0.99))}`,
      Object.keys(m.failedBeats).length === 0 ? '0' : `${fixed(total(m.failedBeats))} (${kinds(m.failedBeats)})`,
      fixed(m.beats > 0 ? total(m.beatRequests) / m.beats : Number.NaN, 2),
      `${fixed(total(m.beatRequests))} (${kinds(m.beatRequests)})`,
      fixed(m.commits),
      fixed(m.fetchOffsets),
      fixed(m.commits > 0 ? total(m.otherRequests) / m.commits : Number.NaN, 2),
      `${fixed(total(m.otherRequests))} (${kinds(m.otherRequests)})`,
    ]),
    [
      'Counted by SDK middleware on the DynamoDB clients the members\' group calls use (every HTTP attempt, so lost optimistic races count).',
      'fetch ms: one fetch of all the member\'s partitions (a long poll of up to 500 ms when nothing is new; the broker reads up to 8 partitions at once).',
      'beat ms: one heartbeat\'s duration as the member saw it (the coordinator\'s read, retries after lost races, the write).',
      'fenced: members fenced or expired during the measurement (a missed session: the client gives up 200 ms before the session ends).',
      'failed beats: heartbeats answered with an error (CoordinatorLoadInProgress: 12 lost races in a row), by code.',
      'Each member runs its own embedded broker: a member subscribed by name reads its topics by key at most once a second (whole-group steps list them, a Scan, at most once a second).',
    ],
  );

  const defaultBeatsPerMinute = 60_000 / 5_000;
  printTable(
    'Steady state: DynamoDB request units and cost per member',
    ['members', 'session ms', 'WRU/beat', 'RRU/beat', 'WRU/commit', 'WRU/min beats', 'RRU/min beats', 'WRU/min commits', 'RRU/min commits', 'commit WRU/min, whole group', '$/member-month', '$/member-month at 5 s beats', '$/month, whole group'],
    per.map(({ size, session, m }) => {
      const measured = monthlyUsd(m.beatWru + m.otherWru, m.beatRru + m.otherRru);
      const beatScale = m.beats > 0 ? defaultBeatsPerMinute / m.beats : 0;
      const atDefault = monthlyUsd(m.beatWru * beatScale + m.otherWru, m.beatRru * beatScale + m.otherRru);
      const perBeat = (units: number): string => fixed(m.beats > 0 ? units / m.beats : Number.NaN, 2);
      return [
        `${size}`,
        session,
        perBeat(m.beatWru),
        perBeat(m.beatRru),
        fixed(m.commits > 0 ? m.otherWru / m.commits : Number.NaN, 2),
        fixed(m.beatWru),
        fixed(m.beatRru),
        fixed(m.otherWru),
        fixed(m.otherRru),
        fixed(m.otherWru * size),
        usd(measured),
        usd(atDefault),
        usd(measured * size),
      ];
    }),
    [
      'WRU: TransactWriteItems billed as AWS documents it, 2 WRU per item per started KB (reckoned from the items written; a ConditionCheck counted as a write, an upper bound).',
      'RRU: what DynamoDB Local reports for reads (ReturnConsumedCapacity: TOTAL).',
      `$/member-month at 5 s beats: the heartbeat share scaled to 12 beats a minute (Kafka's defaults: session.timeout.ms 45000, heartbeats every 5 s), commits unchanged.`,
      `Prices: DynamoDB on-demand, list prices as of ${PRICES_AS_OF}, ${PRICES_REGION}: $${(AWS_PRICES.dynamodbWritePerUnit.usd * 1e6).toFixed(3)} per million write request units, ` +
        `$${(AWS_PRICES.dynamodbReadPerUnit.usd * 1e6).toFixed(3)} per million read request units (${AWS_PRICES.dynamodbWritePerUnit.source}). ${HOURS_PER_MONTH} hours a month.`,
    ],
  );
}
