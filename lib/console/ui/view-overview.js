// `/`: the stack at a glance — topics, records, groups; objects in S3, commits per minute, maintenance, cost per day.
import { html } from 'htm/preact';
import { enc } from './api.js';
import { CommitsChart } from './commits-chart.js';
import { formatBytes, formatNumber, LoadFailed, Loading, useApi } from './common.js';
import { Link } from './router.js';
import { MaintenanceRuns } from './view-maintenance.js';

const usd = (n) => (n === 0 ? '$0' : n < 0.01 ? `$${n.toPrecision(2)}` : `$${n.toFixed(2)}`);
const unitPrice = (n) => `$${n < 0.001 ? n.toPrecision(3) : n}`;
const quantity = (n) => (n === 0 ? '0' : n < 10 ? n.toPrecision(3) : formatNumber(Math.round(n)));

function CostEstimate({ cost, topics }) {
  return html`<section aria-labelledby="cost-title">
    <h2 id="cost-title">Estimated cost per day: <span data-testid="cost-per-day">${usd(cost.usdPerDay)}</span></h2>
    <p>How it is made: the requests the stack makes for what it recorded in the last hour (each commit in the batch index is one S3 PUT, one produce invocation and one DynamoDB transaction), scaled to a day; storage is the bucket's bytes now; maintenance is its last run's duration at the default schedule. AWS list prices, ${cost.prices.region}, on demand, as of ${cost.prices.asOf} (the same table the bench uses); no free tier.</p>
    <table aria-label="Cost estimate">
      <thead><tr><th scope="col">What</th><th scope="col" class="num">Per day</th><th scope="col">Unit price</th><th scope="col">Counted from</th><th scope="col" class="num">USD per day</th></tr></thead>
      <tbody>${cost.lines.map((l) => html`<tr><th scope="row">${l.item}</th><td class="num">${quantity(l.quantity)} ${l.unit}</td><td>${unitPrice(l.price.usd)} per ${l.price.per}</td><td>${l.basis}</td><td class="num">${usd(l.usdPerDay)}</td></tr>`)}</tbody>
    </table>
    <p><strong>Not in the estimate</strong> (the stack does not record it):</p>
    <ul>${cost.notIncluded.map((n) => html`<li>${n}</li>`)}</ul>
    <h3>Per topic</h3>
    <p class="muted">Storage from the bytes its partitions' index items hold; requests from the commits that wrote to it (a commit shared by two topics counts for both).</p>
    <table aria-label="Cost per topic">
      <thead><tr><th scope="col">Topic</th><th scope="col" class="num">Commits in the last hour</th><th scope="col" class="num">Stored</th><th scope="col" class="num">Storage per day</th><th scope="col" class="num">USD per day</th></tr></thead>
      <tbody>${cost.perTopic.map((t) => {
        const s = topics.find((x) => x.topic === t.topic);
        return html`<tr><th scope="row"><${Link} href=${`/topics/${enc(t.topic)}`}>${t.topic}</${Link}></th><td class="num">${formatNumber(s?.commits)}</td><td class="num">${formatBytes(s?.storedBytes ?? 0)}</td><td class="num">${usd(t.storageUsdPerDay)}</td><td class="num">${usd(t.usdPerDay)}</td></tr>`;
      })}
      ${cost.perTopic.length === 0 ? html`<tr><td colspan="5" class="muted">No topics.</td></tr>` : null}</tbody>
    </table>
  </section>`;
}

export function OverviewView() {
  const { data, error } = useApi('/api/overview', { refreshMs: 10000 });
  if (error !== undefined) return html`<h1>Overview</h1><${LoadFailed} error=${error} />`;
  if (data === undefined) return html`<h1>Overview</h1><${Loading} />`;
  const card = (label, value, href, testid) => html`<div class="card"><dt>${href ? html`<${Link} href=${href}>${label}</${Link}>` : label}</dt><dd data-testid=${testid}>${value}</dd></div>`;
  const states = Object.entries(data.groupStates).map(([state, n]) => `${n} ${state}`).join(', ');
  const { storage } = data;
  const objects = storage.objects;
  const lastMinute = storage.perMinute[storage.perMinute.length - 1]?.commits ?? 0;
  return html`
    <h1>Overview</h1>
    <dl class="cards">
      ${card('Topics', formatNumber(data.topics), '/topics')}
      ${card('Partitions', formatNumber(data.partitions))}
      ${card('Records', formatNumber(data.records))}
      ${card('Bytes in the log', formatBytes(data.bytes))}
      ${card('Consumer groups', `${formatNumber(data.groups)}${states ? ` (${states})` : ''}`, '/groups')}
    </dl>
    <h2>S3 and DynamoDB</h2>
    <dl class="cards">
      ${card('Objects in S3', `${formatNumber(objects.ingest.count + objects.segments.count + objects.other.count)} (${formatBytes(objects.ingest.bytes + objects.segments.bytes + objects.other.bytes)})`, undefined, 'objects')}
      ${card('Ingest objects', `${formatNumber(objects.ingest.count)} (${formatBytes(objects.ingest.bytes)})`)}
      ${card('Segment files', `${formatNumber(objects.segments.count)} (${formatBytes(objects.segments.bytes)})`)}
      ${card('Commits, last hour', formatNumber(storage.commits.commits), undefined, 'commits-hour')}
      ${card('Commits per minute', `${formatNumber(lastMinute)} now, ${(storage.commits.commits / 60).toFixed(1)} average`)}
    </dl>
    <${CommitsChart} perMinute=${storage.perMinute} />
    ${storage.rolledItems > 0 ? html`<p class="muted">${formatNumber(storage.rolledItems)} index item(s) of the last hour were rolled into segments since: their commits are not counted.</p>` : null}
    <h2>Maintenance</h2>
    <${MaintenanceRuns} runs=${storage.runs} now=${storage.checkedAt} />
    <p><${Link} href="/maintenance">Maintenance and orphan objects</${Link}></p>
    <${CostEstimate} cost=${data.cost} topics=${storage.topics} />
    <p class="muted">Cluster id <code>${data.clusterId}</code></p>
  `;
}
