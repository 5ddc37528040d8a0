// `/topics`: search, create (Kafka's error names inline), delete with confirmation.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, enc } from './api.js';
import { ErrorMessage, formatBytes, formatNumber, LoadFailed, Loading, parsePairs, useApi } from './common.js';
import { Link, navigate } from './router.js';

function CreateTopic({ onCreated }) {
  const [error, setError] = useState(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const partitions = String(form.get('partitions') ?? '').trim();
      const body = { name: String(form.get('name') ?? ''), configs: parsePairs(String(form.get('configs') ?? '')) };
      if (partitions !== '') body.partitions = Number(partitions);
      await api('POST', '/api/topics', body);
      onCreated(body.name);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <form class="panel" onSubmit=${submit} aria-labelledby="create-topic">
      <h2 id="create-topic">Create a topic</h2>
      <div class="fields">
        <label>Name <input name="name" required autocomplete="off" /></label>
        <label>Partitions <input name="partitions" type="number" min="1" defaultValue="1" /></label>
        <label class="wide"><span>Configs, one <code>name=value</code> a line</span> <textarea name="configs" rows="2" placeholder="retention.ms=86400000"></textarea></label>
      </div>
      <${ErrorMessage} error=${error} />
      <button type="submit" disabled=${busy}>Create topic</button>
    </form>
  `;
}

function DeleteTopic({ name, onDeleted, onCancel }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState(undefined);
  const confirm = async (event) => {
    event.preventDefault();
    try {
      await api('DELETE', `/api/topics/${enc(name)}`);
      onDeleted(name);
    } catch (err) {
      setError(err);
    }
  };
  return html`
    <form class="panel danger" role="dialog" aria-labelledby="delete-title" onSubmit=${confirm}>
      <h2 id="delete-title">Delete topic ${name}?</h2>
      <p>Its records are deleted with it. Type the topic's name to confirm.</p>
      <label>Topic name <input name="confirm" autocomplete="off" value=${typed} onInput=${(e) => setTyped(e.currentTarget.value)} /></label>
      <${ErrorMessage} error=${error} />
      <button type="submit" class="danger" disabled=${typed !== name}>Delete ${name}</button>
      <button type="button" onClick=${onCancel}>Cancel</button>
    </form>
  `;
}

export function TopicsView({ query }) {
  const { data, error, reload } = useApi('/api/topics');
  const [deleting, setDeleting] = useState(undefined);
  const [notice, setNotice] = useState(undefined);
  const search = query.get('q') ?? '';
  const setSearch = (q) => navigate(q === '' ? '/topics' : `/topics?q=${enc(q)}`, { replace: true });
  const topics = data?.topics.filter((t) => t.name.includes(search)) ?? [];
  return html`
    <h1>Topics</h1>
    ${notice !== undefined ? html`<p class="notice" role="status">${notice}</p>` : null}
    <div class="toolbar">
      <label>Search topics <input type="search" name="q" value=${search} onInput=${(e) => setSearch(e.currentTarget.value)} /></label>
    </div>
    ${error !== undefined ? html`<${LoadFailed} error=${error} />` : data === undefined ? html`<${Loading} />` : html`
      <table>
        <caption class="visually-hidden">Topics</caption>
        <thead><tr><th scope="col">Name</th><th scope="col" class="num">Partitions</th><th scope="col" class="num">Records</th><th scope="col" class="num">Size</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          ${topics.map((t) => html`<tr>
            <th scope="row"><${Link} href=${`/topics/${enc(t.name)}`}>${t.name}</${Link}></th>
            <td class="num">${formatNumber(t.partitions)}</td>
            <td class="num">${formatNumber(t.records)}</td>
            <td class="num">${formatBytes(t.bytes)}</td>
            <td>${t.createdAt.slice(0, 19).replace('T', ' ')}</td>
            <td><${Link} href=${`/topics/${enc(t.name)}/messages`}>Messages</${Link}> <button type="button" class="link danger" onClick=${() => setDeleting(t.name)} aria-label=${`Delete ${t.name}`}>Delete</button></td>
          </tr>`)}
          ${topics.length === 0 ? html`<tr><td colspan="6" class="muted">${search ? `No topic contains "${search}".` : 'No topics yet.'}</td></tr>` : null}
        </tbody>
      </table>`}
    ${deleting !== undefined ? html`<${DeleteTopic} name=${deleting} onCancel=${() => setDeleting(undefined)} onDeleted=${(name) => { setDeleting(undefined); setNotice(`Deleted topic ${name}.`); reload(); }} />` : null}
    <${CreateTopic} onCreated=${(name) => navigate(`/topics/${enc(name)}`)} />
  `;
}
