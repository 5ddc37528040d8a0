/**
 * The options of `kafkaless groups` as kafka-consumer-groups spells them,
 * parsed into what the admin client takes: reset targets (--to-*,
 * --shift-by, --by-duration), topic specs (`topic` or `topic:0,1`), and
 * the CSV of --export / --from-file (`topic,partition,offset` lines).
 */
import type { ResetTarget } from '../../lib/protocol/group-requests.js';
import { CliUsageError } from './connect.js';

export interface ResetTargetOptions {
  readonly toEarliest?: boolean;
  readonly toLatest?: boolean;
  readonly toCurrent?: boolean;
  readonly toOffset?: string;
  readonly toDatetime?: string;
  readonly shiftBy?: string;
  readonly byDuration?: string;
}

const TARGET_FLAGS = '--to-earliest, --to-latest, --to-current, --to-offset N, --to-datetime ISO, --shift-by N, --by-duration PnDTnHnMnS';

/** Repeatable options collect their values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function wholeNumber(value: string, flag: string, min: number): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new CliUsageError(`${flag} takes a whole number${min === 0 ? ' >= 0' : ''}, got '${value}'`);
  return n;
}

/**
 * An ISO-8601 duration as Java's Duration.parse reads it (days, hours,
 * minutes, seconds with a fraction), in milliseconds.
 */
export function parseDuration(value: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/i.exec(value.trim());
  const parts = m?.slice(1) ?? [];
  if (m === null || parts.every((p) => p === undefined) || /T$/i.test(value.trim())) {
    throw new CliUsageError(`--by-duration takes an ISO-8601 duration such as PT1H30M or P1DT12H, got '${value}'`);
  }
  const [days, hours, minutes, seconds] = parts.map((p) => Number(p ?? 0)) as [number, number, number, number];
  return Math.round(((days * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000);
}

/** Exactly one target; --by-duration is relative to `nowMs`. */
export function parseResetTarget(opts: ResetTargetOptions, nowMs: number = Date.now()): ResetTarget {
  const given = [opts.toEarliest === true, opts.toLatest === true, opts.toCurrent === true, opts.toOffset, opts.toDatetime, opts.shiftBy, opts.byDuration].filter(
    (v) => v !== undefined && v !== false,
  ).length;
  if (given !== 1) throw new CliUsageError(`Give exactly one of ${TARGET_FLAGS} (or --from-file FILE).`);
  if (opts.toEarliest === true) return 'earliest';
  if (opts.toLatest === true) return 'latest';
  if (opts.toCurrent === true) return 'current';
  if (opts.toOffset !== undefined) return { offset: wholeNumber(opts.toOffset, '--to-offset', 0) };
  if (opts.shiftBy !== undefined) return { shiftBy: wholeNumber(opts.shiftBy, '--shift-by', -Number.MAX_SAFE_INTEGER) };
  if (opts.byDuration !== undefined) {
    const timestamp = nowMs - parseDuration(opts.byDuration);
    if (timestamp < 0) throw new CliUsageError(`--by-duration ${opts.byDuration} reaches before 1970`);
    return { timestamp };
  }
  const timestamp = Date.parse(opts.toDatetime!);
  if (Number.isNaN(timestamp) || timestamp < 0) throw new CliUsageError(`--to-datetime takes an ISO date-time such as 2024-01-31T12:00:00Z, got '${opts.toDatetime}'`);
  return { timestamp };
}

export interface TopicSpec {
  readonly topic: string;
  /** Absent: every partition. */
  readonly partitions?: number[];
}

function partitionList(value: string, flag: string): number[] {
  return value.split(',').map((part) => {
    const n = part.trim() === '' ? NaN : Number(part.trim());
    if (!Number.isInteger(n) || n < 0) throw new CliUsageError(`${flag} takes partition numbers separated by commas, got '${value}'`);
    return n;
  });
}

/** `topic` or `topic:0,1,2` (Kafka's --topic syntax); `--partitions` applies to a spec without its own list. */
export function parseTopicSpec(value: string, partitions?: string): TopicSpec {
  const at = value.lastIndexOf(':');
  if (at === 0) throw new CliUsageError(`--topic takes a topic name or topic:partitions, got '${value}'`);
  if (at > 0) return { topic: value.slice(0, at), partitions: partitionList(value.slice(at + 1), '--topic') };
  return { topic: value, ...(partitions !== undefined ? { partitions: partitionList(partitions, '--partitions') } : {}) };
}

export interface PlannedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** Kafka's export format: one `topic,partition,offset` line per partition. */
export function formatOffsetsCsv(offsets: readonly PlannedOffset[]): string {
  return offsets.map((o) => `${o.topic},${o.partition},${o.offset}`).join('\n');
}

/** Reads --export's CSV back (`topic,partition,offset` lines; blank lines skipped). */
export function parseOffsetsCsv(text: string, file: string): PlannedOffset[] {
  const out: PlannedOffset[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const fields = line.split(',');
    const where = `${file} line ${i + 1}`;
    if (fields.length !== 3 || fields[0]!.trim() === '') throw new CliUsageError(`${where}: expected topic,partition,offset, got '${line}'`);
    out.push({
      topic: fields[0]!.trim(),
      partition: wholeNumber(fields[1]!.trim(), `${where}: the partition`, 0),
      offset: wholeNumber(fields[2]!.trim(), `${where}: the offset`, 0),
    });
  });
  if (out.length === 0) throw new CliUsageError(`${file} holds no offsets`);
  return out;
}

/** Kafka's ASSIGNMENT column: `topic(0,1),other(2)`, or '-' for none. */
export function formatAssignment(assignment: readonly { topic: string; partitions: readonly number[] }[]): string {
  return assignment.length === 0 ? '-' : assignment.map((t) => `${t.topic}(${t.partitions.join(',')})`).join(',');
}
