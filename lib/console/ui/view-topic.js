// `/topics/<name>`: partitions (log start, high watermark, size), configs with their source (editable), add partitions.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, enc } from './api.js';
import { ErrorMessage, formatBytes, formatNumber, LoadFailed, Loading, useApi } from './common.js';
import { Link } from './router.js';

function useAction(after) {
  const [error, setError] = useState(undefined);
  const [done, setDone] = useState(undefined);
  const run = async (work, message) => {
    setError(undefined);
    setDone(undefined);
    try {
      await work();
      setDone(message);
      after();
    } catch (err) {
      setError(err);
    }
  };
  return { error, done, run };
}

function AddPartitions({ topic, current, onDone }) {
  const { error, done, run } = useAction(onDone);
  const submit = (event) => {
    event.preventDefault();
    const count = Number(new FormData(event.currentTarget).get('count'));
    run(() => api('POST', `/api/topics/${enc(topic)}/partitions`, { count }), `The topic now has ${count} partitions.`);
  };
  return html`<form class="panel" onSubmit=${submit} aria-labelledby="add-partitions">
    <h2 id="add-partitions">Add partitions</h2>
    <label>New partition count <input name="count" type="number" min=${current + 1} defaultValue=${current + 1} key=${current} required /></label>
    <${ErrorMessage} error=${error} />${done ? html`<p class="notice" role="status">${done}</p>` : null}
    <button type="submit">Add partitions</button>
  </form>`;
}

function EditConfig({ topic, configs, onDone }) {
  const { error, done, run } = useAction(onDone);
  const [name, setName] = useState(configs[0]?.name ?? '');
  const entry = configs.find((c) => c.name === name);
  const submit = (event) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('value'));
    run(() => api('PUT', `/api/topics/${enc(topic)}/configs`, { configs: { [name]: value } }), `Set ${name}=${value}.`);
  };
  const reset = () => run(() => api('PUT', `/api/topics/${enc(topic)}/configs`, { configs: { [name]: null } }), `${name} is back to its default.`);
  return html`<form class="panel" onSubmit=${submit} aria-labelledby="edit-config">
    <h2 id="edit-config">Change a config</h2>
    <div class="fields">
      <label>Config <select name="name" value=${name} onChange=${(e) => setName(e.currentTarget.value)}>${configs.map((c) => html`<option value=${c.name}>${c.name}</option>`)}</select></label>
      <label>Value <input name="value" key=${`${name}=${entry?.value}`} defaultValue=${entry?.value ?? ''} required /></label>
    </div>
    ${entry ? html`<p class="muted">${entry.documentation} Default ${entry.defaultValue}.</p>` : null}
    <${ErrorMessage} error=${error} />${done ? html`<p class="notice" role="status">${done}</p>` : null}
    <button type="submit">Set</button> <button type="button" onClick=${reset}>Reset to default</button>
  </form>`;
}

export function TopicView({ params }) {
  const { data, error, reload } = useApi(`/api/topics/${enc(params.name)}`);
  if (error !== undefined) return html`<${LoadFailed} error=${error} />`;
  if (data === undefined) return html`<h1>Topic ${params.name}</h1><${Loading} />`;
  const messages = `/topics/${enc(data.name)}/messages`;
  return html`
    <h1>Topic ${data.name}</h1>
    <p class="muted">Topic id <code>${data.topicId}</code>, created ${data.createdAt.slice(0, 19).replace('T', ' ')}. <${Link} href=${messages}>Browse messages</${Link}></p>
    <h2>Partitions</h2>
    <table>
      <thead><tr><th scope="col" class="num">Partition</th><th scope="col" class="num">Log start offset</th><th scope="col" class="num">High watermark</th><th scope="col" class="num">Records</th><th scope="col" class="num">Size</th><th scope="col"><span class="visually-hidden">Links</span></th></tr></thead>
      <tbody>${data.partitions.map((p) => html`<tr>
        <th scope="row" class="num">${p.partition}</th><td class="num">${formatNumber(p.logStartOffset)}</td><td class="num">${formatNumber(p.highWatermark)}</td>
        <td class="num">${formatNumber(p.records)}</td><td class="num">${formatBytes(p.bytes)}</td>
        <td><${Link} href=${`${messages}?partition=${p.partition}`}>Messages of partition ${p.partition}</${Link}> · <${Link} href=${`/topics/${enc(data.name)}/partitions/${p.partition}`}>Objects and commits of partition ${p.partition}</${Link}></td>
      </tr>`)}</tbody>
    </table>
    <${AddPartitions} topic=${data.name} current=${data.partitions.length} onDone=${reload} />
    <h2>Configs</h2>
    <table>
      <thead><tr><th scope="col">Name</th><th scope="col">Value</th><th scope="col">Source</th></tr></thead>
      <tbody>${data.configs.map((c) => html`<tr class=${c.isDefault ? '' : 'override'}>
        <th scope="row">${c.name}${c.hasEffect ? '' : html` <span class="muted">(no effect here)</span>`}</th><td><code>${c.value}</code></td><td>${c.source}</td>
      </tr>`)}</tbody>
    </table>
    <${EditConfig} topic=${data.name} configs=${data.configs} onDone=${reload} />
  `;
}
