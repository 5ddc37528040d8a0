/** How the CLI prints: aligned tables for people, JSON for scripts. */

export type Row = Record<string, string | number | boolean | null | undefined>;

export function formatTable(rows: readonly Row[], columns?: readonly string[]): string {
  return formatTableWithHeaders(rows, columns, (c) => c.toUpperCase());
}

/** As formatTable, with headers as given (kafka-transactions prints CamelCase ones). */
export function formatTableWithHeaders(rows: readonly Row[], columns?: readonly string[], header: (column: string) => string = (c) => c): string {
  const cols = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  if (cols.length === 0) return '';
  const cell = (v: Row[string]): string => (v === null || v === undefined ? '-' : String(v));
  const widths = cols.map((c) => Math.max(header(c).length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]): string => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(cols.map(header)), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

export interface Output {
  readonly json: boolean;
  /** Prints a result: as JSON under --json, else through `human`. */
  result(value: unknown, human: () => string): void;
  /** Progress and notes go to stderr, so stdout stays clean for pipes. */
  info(message: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      const text = json ? JSON.stringify(value, null, 2) : human();
      if (text !== '') process.stdout.write(text + '\n');
    },
    info(message) {
      process.stderr.write(message + '\n');
    },
  };
}
