// `/groups/<id>`: members and their assignments, lag per partition (refreshed), offset reset with a preview.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, enc } from './api.js';
import { ErrorMessage, formatNumber, LoadFailed, Loading, useApi } from './common.js';
import { LagChart } from './lag-chart.js';
import { Link } from './router.js';

function targetOf(form) {
  const kind = String(form.get('to'));
  const at = String(form.get('at') ?? '').trim();
  if (kind === 'earliest' || kind === 'latest') return kind;
  if (kind === 'timestamp') return { timestamp: /^\d+$/.test(at) ? Number(at) : Date.parse(at) };
  return { [kind]: Number(at) };
}

function ResetOffsets({ groupId, topics, onDone }) {
  const [preview, setPreview] = useState(undefined);
  const [error, setError] = useState(undefined);
  const [done, setDone] = useState(undefined);
  const request = (form, dryRun) => ({ topic: String(form.get('topic')), to: targetOf(form), dryRun });
  const submit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const dryRun = event.submitter?.value !== 'apply';
    setError(undefined);
    setDone(undefined);
    try {
      const reply = await api('POST', `/api/groups/${enc(groupId)}/reset-offsets`, request(form, dryRun));
      if (dryRun) setPreview(reply.offsets);
      else {
        setPreview(undefined);
        setDone(`Reset ${reply.offsets.length} partition(s).`);
        onDone();
      }
    } catch (err) {
      setError(err);
    }
  };
  return html`<form class="panel" onSubmit=${submit} aria-labelledby="reset-title">
    <h2 id="reset-title">Reset offsets</h2>
    <p class="muted">Only while the group has no live members (else Kafka's NonEmptyGroup).</p>
    <div class="fields">
      <label>Topic <select name="topic">${topics.map((t) => html`<option value=${t}>${t}</option>`)}</select></label>
      <label>To <select name="to"><option value="earliest">earliest</option><option value="latest">latest</option><option value="offset">offset</option><option value="shiftBy">shift by</option><option value="timestamp">time</option></select></label>
      <label>Offset, shift or time <input name="at" placeholder="e.g. 10, -5, 2026-01-01T00:00:00Z" /></label>
    </div>
    <${ErrorMessage} error=${error} />${done ? html`<p class="notice" role="status">${done}</p>` : null}
    <button type="submit" value="preview">Preview</button> <button type="submit" value="apply" class="danger">Reset offsets</button>
    ${preview !== undefined ? html`<table aria-label="Reset preview">
      <thead><tr><th scope="col">Topic</th><th scope="col" class="num">Partition</th><th scope="col" class="num">Now</th><th scope="col" class="num">After the reset</th></tr></thead>
      <tbody>${preview.map((o) => html`<tr><td>${o.topic}</td><td class="num">${o.partition}</td><td class="num">${formatNumber(o.previousOffset)}</td><td class="num">${formatNumber(o.offset)}</td></tr>`)}</tbody>
    </table>` : null}
  </form>`;
}

export function GroupView({ params }) {
  const { data, error, reload } = useApi(`/api/groups/${enc(params.id)}`, { refreshMs: 2000 });
  if (error !== undefined) return html`<${LoadFailed} error=${error} />`;
  if (data === undefined) return html`<h1>Group ${params.id}</h1><${Loading} />`;
  const topics = [...new Set(data.partitions.map((p) => p.topic))];
  const owner = (memberId) => data.members.find((m) => m.memberId === memberId)?.clientId ?? memberId;
  return html`
    <h1>Group ${data.groupId}</h1>
    <dl class="cards">
      <div class="card"><dt>State</dt><dd>${data.state}</dd></div>
      <div class="card"><dt>Members</dt><dd>${data.members.length}</dd></div>
      <div class="card"><dt>Total lag</dt><dd data-testid="total-lag">${formatNumber(data.lag)}</dd></div>
      <div class="card"><dt>Protocol</dt><dd>${data.type} (${data.protocol || 'none'})</dd></div>
    </dl>
    <h2>Members</h2>
    <table>
      <thead><tr><th scope="col">Member</th><th scope="col">Client</th><th scope="col">Host</th><th scope="col" class="num">Epoch</th><th scope="col">Assignment</th></tr></thead>
      <tbody>${data.members.map((m) => html`<tr><th scope="row"><code>${m.memberId}</code></th><td>${m.clientId}</td><td>${m.clientHost}</td><td class="num">${m.memberEpoch}</td>
        <td>${m.assignment.map((a) => `${a.topic} [${a.partitions.join(', ')}]`).join('; ')}</td></tr>`)}
        ${data.members.length === 0 ? html`<tr><td colspan="5" class="muted">No live members.</td></tr>` : null}</tbody>
    </table>
    <h2>Lag per partition</h2>
    <${LagChart} history=${data.lagHistory} series=${data.partitions.slice(0, 8).map((p) => `${p.topic}/${p.partition}`)} />
    <table>
      <thead><tr><th scope="col">Topic</th><th scope="col" class="num">Partition</th><th scope="col" class="num">Committed</th><th scope="col" class="num">Log end</th><th scope="col" class="num">Lag</th><th scope="col">Owner</th></tr></thead>
      <tbody>${data.partitions.map((p) => html`<tr><td><${Link} href=${`/topics/${enc(p.topic)}`}>${p.topic}</${Link}></td><td class="num">${p.partition}</td>
        <td class="num">${formatNumber(p.committedOffset)}</td><td class="num">${formatNumber(p.logEndOffset)}</td><td class="num">${formatNumber(p.lag)}</td><td>${p.memberId ? owner(p.memberId) : html`<span class="muted">none</span>`}</td></tr>`)}</tbody>
    </table>
    ${topics.length > 0 ? html`<${ResetOffsets} groupId=${data.groupId} topics=${topics} onDone=${reload} />` : null}
  `;
}
