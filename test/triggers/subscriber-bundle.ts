/**
 * A subscribed function for the trigger tests: a real function, served by
 * the local Lambda server. It writes what it was given and how it ended to
 * `<LOG_DIR>/calls.jsonl`, and misbehaves by record value:
 * `poison…` always throws, `flaky…` throws the first two times it sees the
 * record, `slow…` outlives the function's timeout the first time, `partial…`
 * is always reported in batchItemFailures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SUBSCRIBER_BUNDLE = `
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const dir = process.env.LOG_DIR;
const log = (line) => appendFileSync(join(dir, 'calls.jsonl'), JSON.stringify(line) + '\\n');
const seen = (name) => {
  const file = join(dir, 'count-' + name);
  const n = existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
  writeFileSync(file, String(n + 1));
  return n;
};
export const handler = async (event) => {
  const records = Object.entries(event.records).flatMap(([key, rs]) => rs.map((r) => ({ key, offset: r.offset, value: r.value === undefined ? null : Buffer.from(r.value, 'base64').toString() })));
  const offsets = records.map((r) => r.offset);
  const failures = [];
  for (const r of records) {
    const value = r.value ?? '';
    if (value.startsWith('poison')) { log({ key: records[0]?.key, offsets, outcome: 'error' }); throw new Error('poison at ' + r.offset); }
    if (value.startsWith('flaky') && seen(r.key + '-' + r.offset) < 2) { log({ key: records[0]?.key, offsets, outcome: 'error' }); throw new Error('flaky at ' + r.offset); }
    if (value.startsWith('slow') && seen(r.key + '-' + r.offset) < 1) { log({ key: records[0]?.key, offsets, outcome: 'timeout' }); await new Promise((resolve) => setTimeout(resolve, 10000)); }
    if (value.startsWith('partial')) failures.push({ itemIdentifier: r.key + '@' + r.offset });
  }
  log({ key: records[0]?.key, offsets, outcome: failures.length > 0 ? 'partial' : 'ok', failed: failures.map((f) => f.itemIdentifier) });
  return { batchItemFailures: failures };
};
`;

export function writeSubscriberBundle(root: string): string {
  const dir = join(root, 'subscriber');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.mjs'), SUBSCRIBER_BUNDLE);
  return dir;
}
