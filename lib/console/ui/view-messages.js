// `/topics/<name>/messages?partition=P&offset=O` (or timestamp=T, from=latest), filters on key/value/headers,
// JSON pretty-printed, binary as hex, long payloads cut with a way to see them whole; produce a message.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc, get } from './api.js';
import { ErrorMessage, formatTime, LoadFailed, Loading, parsePairs, useApi } from './common.js';
import { Link, navigate } from './router.js';

const PARAMS = ['partition', 'offset', 'timestamp', 'from', 'key', 'value', 'header', 'limit'];
const FILTERS = ['partition', 'key', 'value', 'header'];
/** Records a live tail keeps on the page. */
const MAX_TAILED = 500;

/** New records after the window, polled every second while `on`: each poll starts where the last ended, per partition. */
function useTail(topic, query, data, on) {
  const [tailed, setTailed] = useState([]);
  const next = useRef({});
  useEffect(() => {
    next.current = data === undefined ? {} : Object.fromEntries(data.partitions.map((p) => [p.partition, p.next]));
    setTailed([]);
  }, [data]);
  useEffect(() => {
    if (!on || data === undefined) return undefined;
    let live = true;
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try {
        const q = new URLSearchParams();
        for (const name of FILTERS) if (query.get(name)) q.set(name, query.get(name));
        q.set('offsets', Object.entries(next.current).map(([p, o]) => `${p}:${o}`).join(','));
        const got = await get(`/api/topics/${enc(topic)}/messages?${q}`);
        if (!live) return;
        for (const p of got.partitions) next.current[p.partition] = p.next;
        if (got.records.length > 0) setTailed((t) => [...t, ...got.records].slice(-MAX_TAILED));
      } catch {
        // the next tick tries again
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(tick, 1000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [on, data]);
  return tailed;
}

function Payload({ payload, onShowAll, label }) {
  if (payload === null) return html`<span class="muted">null</span>`;
  return html`<div class="payload">
    <span class="badge">${payload.format}</span>
    <pre tabindex="0" aria-label=${label}>${payload.text}</pre>
    ${payload.truncated ? html`<button type="button" class="link" onClick=${onShowAll}>Show all (${payload.size} bytes)</button>` : null}
  </div>`;
}

function Record({ topic, record: initial }) {
  const [record, setRecord] = useState(initial);
  const [error, setError] = useState(undefined);
  const showAll = async () => {
    try {
      setRecord((await get(`/api/topics/${enc(topic)}/messages/${record.partition}/${record.offset}`)).record);
    } catch (err) {
      setError(err);
    }
  };
  const where = `partition ${record.partition} offset ${record.offset}`;
  return html`<tr>
    <td class="num">${record.partition}</td><td class="num">${record.offset}</td><td class="nowrap">${formatTime(record.timestamp)}</td>
    <td><${Payload} payload=${record.key} onShowAll=${showAll} label=${`Key at ${where}`} /></td>
    <td><${Payload} payload=${record.value} onShowAll=${showAll} label=${`Value at ${where}`} /><${ErrorMessage} error=${error} /></td>
    <td>${record.headers.length === 0 ? html`<span class="muted">none</span>` : html`<ul class="headers">${record.headers.map((h) => html`<li><code>${h.key}</code>: <${Payload} payload=${h.value} onShowAll=${showAll} label=${`Header ${h.key} at ${where}`} /></li>`)}</ul>`}</td>
  </tr>`;
}

function Produce({ topic, onProduced }) {
  const [error, setError] = useState(undefined);
  const [done, setDone] = useState(undefined);
  const submit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(undefined);
    try {
      const key = String(form.get('key') ?? '');
      const partition = String(form.get('partition') ?? '').trim();
      const body = { key: key === '' ? null : key, value: String(form.get('value') ?? ''), headers: parsePairs(String(form.get('headers') ?? '')) };
      if (partition !== '') body.partition = Number(partition);
      const written = await api('POST', `/api/topics/${enc(topic)}/messages`, body);
      setDone(`Produced at partition ${written.partition}, offset ${written.offset}.`);
      onProduced();
    } catch (err) {
      setError(err);
    }
  };
  return html`<form class="panel" onSubmit=${submit} aria-labelledby="produce-title">
    <h2 id="produce-title">Produce a message</h2>
    <div class="fields">
      <label>Key <input name="key" autocomplete="off" /></label>
      <label>Partition <input name="partition" type="number" min="0" placeholder="by key" /></label>
      <label class="wide">Value <textarea name="value" rows="3"></textarea></label>
      <label class="wide"><span>Headers, one <code>name=value</code> a line</span> <textarea name="headers" rows="2"></textarea></label>
    </div>
    <${ErrorMessage} error=${error} />${done ? html`<p class="notice" role="status">${done}</p>` : null}
    <button type="submit">Produce</button>
  </form>`;
}

function nextHref(base, asked, next) {
  const q = new URLSearchParams(asked);
  q.delete('from');
  q.delete('timestamp');
  q.set('offset', String(next));
  return `${base}?${q}`;
}

export function MessagesView({ params, query }) {
  const topic = params.name;
  const base = `/topics/${enc(topic)}/messages`;
  const asked = new URLSearchParams();
  for (const name of PARAMS) if (query.get(name)) asked.set(name, query.get(name));
  const { data, error, reload } = useApi(`/api/topics/${enc(topic)}/messages?${asked}`);
  const go = (next) => {
    const q = new URLSearchParams();
    for (const [name, value] of Object.entries(next)) if (value !== undefined && value !== '') q.set(name, String(value));
    navigate(q.size > 0 ? `${base}?${q}` : base);
  };
  const submit = (event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const start = String(form.get('start'));
    const at = String(form.get('at') ?? '').trim();
    go({
      partition: String(form.get('partition') ?? '').trim(),
      ...(start === 'latest' ? { from: 'latest' } : start === 'offset' ? { offset: at } : start === 'timestamp' ? { timestamp: /^\d+$/.test(at) ? at : String(Date.parse(at)) } : {}),
      key: form.get('key'),
      value: form.get('value'),
      header: form.get('header'),
    });
  };
  const start = query.get('from') === 'latest' ? 'latest' : query.get('offset') ? 'offset' : query.get('timestamp') ? 'timestamp' : 'earliest';
  const single = data?.partitions.length === 1 ? data.partitions[0] : undefined;
  const tailing = query.get('tail') === '1';
  const tailed = useTail(topic, query, data, tailing);
  const toggleTail = () => {
    const q = new URLSearchParams(location.search);
    if (tailing) q.delete('tail');
    else q.set('tail', '1');
    navigate(q.size > 0 ? `${base}?${q}` : base, { replace: true });
  };
  const exportHref = (format) => {
    const q = new URLSearchParams(asked);
    q.set('format', format);
    return `/api/topics/${enc(topic)}/messages?${q}`;
  };
  const records = data === undefined ? [] : [...data.records, ...tailed];
  if (error !== undefined && error.status === 404) return html`<${LoadFailed} error=${error} />`;
  return html`
    <h1>Messages of <${Link} href=${`/topics/${enc(topic)}`}>${topic}</${Link}></h1>
    <form class="panel" key=${location.search} onSubmit=${submit} aria-label="Which messages">
      <div class="fields">
        <label>Partition <input name="partition" type="number" min="0" defaultValue=${query.get('partition') ?? ''} placeholder="all" /></label>
        <label>Start <select name="start">
          ${[['earliest', 'earliest'], ['latest', 'latest'], ['offset', 'at offset'], ['timestamp', 'at time']].map(([v, label]) => html`<option value=${v} selected=${start === v}>${label}</option>`)}
        </select></label>
        <label>Offset or time <input name="at" defaultValue=${query.get('offset') ?? query.get('timestamp') ?? ''} placeholder="42, or 2026-01-01T00:00:00Z" /></label>
        <label>Key contains <input name="key" defaultValue=${query.get('key') ?? ''} /></label>
        <label>Value contains <input name="value" defaultValue=${query.get('value') ?? ''} /></label>
        <label>Header <input name="header" defaultValue=${query.get('header') ?? ''} placeholder="name or name=value" /></label>
      </div>
      <button type="submit">Show</button>
    </form>
    ${error !== undefined ? html`<${ErrorMessage} error=${error} />` : data === undefined ? html`<${Loading} />` : html`
      <div class="toolbar">
        <button type="button" aria-pressed=${tailing ? 'true' : 'false'} onClick=${toggleTail}>${tailing ? 'Stop live tail' : 'Live tail'}</button>
        <a href=${exportHref('json')} download>Export JSON</a> <a href=${exportHref('csv')} download>Export CSV</a>
      </div>
      <p class="muted" role="status">${records.length} message(s)${tailed.length > 0 ? ` (${tailed.length} new)` : ''}${data.scanned !== data.records.length ? ` of ${data.scanned} read` : ''}.
        ${single !== undefined ? ` Partition ${single.partition}: offsets ${single.logStartOffset} to ${single.highWatermark - 1}.` : ''}
        ${single !== undefined && single.next < single.highWatermark ? html` <${Link} href=${nextHref(base, asked, single.next)}>Next messages</${Link}>` : null}
      </p>
      <table class="messages">
        <thead><tr><th scope="col" class="num">Partition</th><th scope="col" class="num">Offset</th><th scope="col">Timestamp</th><th scope="col">Key</th><th scope="col">Value</th><th scope="col">Headers</th></tr></thead>
        <tbody>${records.map((r) => html`<${Record} key=${`${r.partition}-${r.offset}`} topic=${topic} record=${r} />`)}
        ${records.length === 0 ? html`<tr><td colspan="6" class="muted">No messages here.</td></tr>` : null}</tbody>
      </table>`}
    <${Produce} topic=${topic} onProduced=${reload} />
  `;
}
