// `/`: the stack at a glance.
import { html } from 'htm/preact';
import { formatBytes, formatNumber, LoadFailed, Loading, useApi } from './common.js';
import { Link } from './router.js';

export function OverviewView() {
  const { data, error } = useApi('/api/overview', { refreshMs: 5000 });
  if (error !== undefined) return html`<h1>Overview</h1><${LoadFailed} error=${error} />`;
  if (data === undefined) return html`<h1>Overview</h1><${Loading} />`;
  const card = (label, value, href) => html`<div class="card"><dt>${href ? html`<${Link} href=${href}>${label}</${Link}>` : label}</dt><dd>${value}</dd></div>`;
  const states = Object.entries(data.groupStates).map(([state, n]) => `${n} ${state}`).join(', ');
  return html`
    <h1>Overview</h1>
    <dl class="cards">
      ${card('Topics', formatNumber(data.topics), '/topics')}
      ${card('Partitions', formatNumber(data.partitions))}
      ${card('Records', formatNumber(data.records))}
      ${card('Bytes in the log', formatBytes(data.bytes))}
      ${card('Consumer groups', `${formatNumber(data.groups)}${states ? ` (${states})` : ''}`, '/groups')}
    </dl>
    <p class="muted">Cluster id <code>${data.clusterId}</code></p>
  `;
}
