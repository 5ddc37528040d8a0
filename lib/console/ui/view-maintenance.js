// `/maintenance`: the last run of each maintenance step (as the runs recorded them) and the objects the
// garbage collector would consider now (its own candidate lists, read without deleting).
import { html } from 'htm/preact';
import { formatBytes, formatNumber, formatTime, LoadFailed, Loading, useApi } from './common.js';

const STEP_NAMES = {
  transactions: 'Transaction recovery',
  segments: 'Segment rolling',
  retention: 'Retention',
  compaction: 'Log compaction',
  gc: 'Garbage collection',
  groups: 'Member expiry',
};

/** The counters' names as a person reads them; bytes shown as bytes. */
const OUTCOME_NAMES = {
  partitions: 'partitions',
  skipped: 'skipped (another worker held the lease)',
  failed: 'failed',
  segmentsWritten: 'segments written',
  batchesRolled: 'batches rolled',
  conflicts: 'conflicts (retried next run)',
  offsetsExpired: 'offsets expired',
  recordsCompacted: 'records compacted',
  bytesReclaimed: 'reclaimed',
  indexItemsRemoved: 'index items removed',
  objectsDeleted: 'objects deleted',
  orphansDeleted: 'of them never committed',
  topicsRemoved: 'deleted topics removed',
  examined: 'transactional ids examined',
  timedOut: 'timed out and aborted',
  rolledForward: 'rolled forward',
  rolledBack: 'rolled back',
  groups: 'groups',
  changed: 'changed',
};

/** Shown only when they happened. */
const WHEN_NONZERO = new Set(['skipped', 'failed', 'conflicts']);

const outcomeText = (outcome) =>
  Object.entries(outcome)
    .filter(([name, n]) => n !== 0 || !WHEN_NONZERO.has(name))
    .map(([name, n]) => (name === 'bytesReclaimed' ? `${formatBytes(n)} reclaimed` : `${OUTCOME_NAMES[name] ?? name} ${formatNumber(n)}`))
    .join(', ');

const scopeText = (scope) => (scope.topic === undefined ? 'all topics' : `${scope.topic}${scope.partitions ? ` [${scope.partitions.join(', ')}]` : ''}`);
const duration = (ms) => (ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : ms < 7_200_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 3_600_000)} h`);
const ago = (ms, now) => {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};

/** The last runs, one row per step (the overview shows the same table). */
export function MaintenanceRuns({ runs, now, caption }) {
  return html`<table>
    <caption class=${caption ? '' : 'visually-hidden'}>${caption ?? 'Last maintenance runs'}</caption>
    <thead><tr><th scope="col">Step</th><th scope="col">Last run</th><th scope="col" class="num">Run took</th><th scope="col">Over</th><th scope="col">Outcome</th><th scope="col">Errors</th></tr></thead>
    <tbody>
      ${runs.map((r) => html`<tr>
        <th scope="row">${STEP_NAMES[r.step] ?? r.step}</th>
        <td class="nowrap">${formatTime(r.finishedAt)} <span class="muted">(${ago(r.finishedAt, now)})</span></td>
        <td class="num">${duration(r.finishedAt - r.startedAt)}</td>
        <td>${scopeText(r.scope)}</td>
        <td>${outcomeText(r.outcome)}</td>
        <td>${r.errors.length === 0 ? html`<span class="muted">none</span>` : html`<ul class="headers">${r.errors.map((e) => html`<li class="error-text"><strong>${e.code}</strong>: ${e.message}</li>`)}</ul>`}</td>
      </tr>`)}
      ${runs.length === 0 ? html`<tr><td colspan="6" class="muted">No maintenance run has been recorded yet (the stack runs it every 5 minutes; <code>kafkaless maintenance run</code> runs it now).</td></tr>` : null}
    </tbody>
  </table>`;
}

export function MaintenanceView() {
  const { data, error, loading, reload } = useApi('/api/maintenance');
  if (error !== undefined) return html`<h1>Maintenance</h1><${LoadFailed} error=${error} />`;
  if (data === undefined) return html`<h1>Maintenance</h1><${Loading} />`;
  const grace = duration(data.gracePeriodMs);
  const { unreferenced, unregistered } = data;
  return html`
    <h1>Maintenance</h1>
    <p class="muted">Checked ${formatTime(data.checkedAt)}. <button type="button" onClick=${reload} disabled=${loading}>Check again</button></p>
    <h2>Last runs</h2>
    <${MaintenanceRuns} runs=${data.runs} now=${data.checkedAt} />
    <h2>Orphan objects</h2>
    <p>What the garbage collector sees now, from its own candidate lists (nothing is deleted here). An object goes once nothing has pointed at it for the grace period (${grace}).</p>
    <dl class="cards">
      <div class="card"><dt>Unreferenced objects</dt><dd data-testid="unreferenced">${formatNumber(unreferenced.count)}</dd></div>
      <div class="card"><dt>Of those, due now</dt><dd>${formatNumber(unreferenced.due)}</dd></div>
      <div class="card"><dt>Never-committed ingest objects</dt><dd data-testid="unregistered">${formatNumber(unregistered.count)}</dd></div>
      <div class="card"><dt>Of those, due now</dt><dd>${formatNumber(unregistered.due)} (${formatBytes(unregistered.bytes)} in all)</dd></div>
    </dl>
    <h3>Registry items with no reference</h3>
    <table>
      <thead><tr><th scope="col">Object</th><th scope="col">State</th><th scope="col" class="num">Refs</th><th scope="col">Created</th><th scope="col">Last released</th><th scope="col">Collected</th></tr></thead>
      <tbody>
        ${unreferenced.objects.map((o) => html`<tr><th scope="row"><code>${o.key}</code></th><td>${o.state}</td><td class="num">${o.refs}</td><td class="nowrap">${formatTime(o.createdAt)}</td>
          <td class="nowrap">${o.releasedAt !== undefined ? formatTime(o.releasedAt) : html`<span class="muted">never</span>`}</td><td>${o.due ? 'on the next run' : `after the grace period`}</td></tr>`)}
        ${unreferenced.objects.length === 0 ? html`<tr><td colspan="6" class="muted">None: every registered object is pointed at.</td></tr>` : null}
      </tbody>
    </table>
    <h3>Ingest objects no commit registered</h3>
    <p class="muted">A produce that died between its S3 write and its commit leaves one; so, for a moment, does every commit in flight.</p>
    <table>
      <thead><tr><th scope="col">Object</th><th scope="col" class="num">Size</th><th scope="col">Made</th><th scope="col">Collected</th></tr></thead>
      <tbody>
        ${unregistered.objects.map((o) => html`<tr><th scope="row"><code>${o.key}</code></th><td class="num">${formatBytes(o.sizeBytes)}</td><td class="nowrap">${formatTime(o.madeAt)}</td><td>${o.due ? 'on the next run' : 'after the grace period'}</td></tr>`)}
        ${unregistered.objects.length === 0 ? html`<tr><td colspan="4" class="muted">None.</td></tr>` : null}
      </tbody>
    </table>
    ${unreferenced.count > unreferenced.objects.length || unregistered.count > unregistered.objects.length ? html`<p class="muted">The first ${unreferenced.objects.length} and ${unregistered.objects.length} are listed.</p>` : null}
  `;
}
