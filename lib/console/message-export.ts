/** A window of records as a file: JSON (an array of the record views) or CSV (one row a record, headers as JSON). */
import type { RecordView, PayloadView } from './record-view.js';

export type ExportFormat = 'json' | 'csv';

function cell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const textOf = (payload: PayloadView | null): string => (payload === null ? '' : payload.text);

export function exportRecords(records: readonly RecordView[], format: ExportFormat): string {
  if (format === 'json') return `${JSON.stringify(records, null, 2)}\n`;
  const rows = [['partition', 'offset', 'timestamp', 'key', 'value', 'headers'].join(',')];
  for (const r of records) {
    const headers = JSON.stringify(r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : h.value.text })));
    rows.push([String(r.partition), String(r.offset), new Date(r.timestamp).toISOString(), cell(textOf(r.key)), cell(textOf(r.value)), cell(headers)].join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
