// Pieces every view uses: loading data, errors named as Kafka names them, numbers.
import { html } from 'htm/preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get } from './api.js';

/** GETs `path` (again when `path` changes, or on reload()); { data, error, loading, reload }. */
export function useApi(path, { refreshMs } = {}) {
  const [state, setState] = useState({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    get(path).then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error) => live && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  useEffect(() => {
    if (refreshMs === undefined) return undefined;
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, reload]);
  return { ...state, reload };
}

export function ErrorMessage({ error }) {
  if (error === undefined || error === null) return null;
  return html`<p class="error" role="alert"><strong>${error.code ?? 'Error'}</strong>: ${error.message}</p>`;
}

export function Loading() {
  return html`<p class="muted" aria-live="polite">Loading…</p>`;
}

export function NotFound({ what }) {
  return html`<section>
    <h1>Not found</h1>
    <p>${what ?? 'There is no page at this address.'}</p>
    <p><a href="/">Back to the overview</a></p>
  </section>`;
}

/** The view for a failed load: the 404 page for an unknown topic or group, else the error. */
export function LoadFailed({ error }) {
  if (error.status === 404) return html`<${NotFound} what=${`${error.code}: ${error.message}`} />`;
  return html`<${ErrorMessage} error=${error} />`;
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export const formatNumber = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'));

export const formatTime = (ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');

/** "a=1\nb=2" → { a: '1', b: '2' }; blank lines skipped. */
export function parsePairs(text) {
  const pairs = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const at = line.indexOf('=');
    if (at <= 0) throw Object.assign(new Error(`"${line}" is not name=value`), { code: 'InvalidRequest' });
    pairs[line.slice(0, at).trim()] = line.slice(at + 1);
  }
  return pairs;
}
