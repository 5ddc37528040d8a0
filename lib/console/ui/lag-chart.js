// A group's lag over time, per partition and in total, as the console's server sampled it (uPlot).
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

const COLORS = ['#0550ae', '#a40e26', '#116329', '#8250df', '#9a6700', '#1b7c83', '#bf3989', '#57606a'];

function timeRange(u, min, max) {
  const end = max ?? Date.now() / 1000;
  return [Math.min(min ?? end, end - 60), end];
}

/** history: { intervalMs, keepMs, samples: [{ t (ms), total, partitions: { 'topic/p': lag } }] }; series: the partition names to draw. */
export function LagChart({ history, series }) {
  const samples = history.samples;
  const box = useRef(null);
  const plot = useRef(null);
  const names = series.join('|');
  useEffect(() => {
    const opts = {
      width: Math.min(900, box.current.clientWidth || 900),
      height: 220,
      legend: { show: false },
      // At least the last minute across, and lag from 0, so one sample or a flat line reads right.
      scales: { x: { time: true, range: timeRange }, y: { range: (u, min, max) => [0, Math.max(1, Math.ceil((max ?? 0) * 1.1))] } },
      series: [{}, { label: 'total', stroke: '#1b1f24', width: 2 }, ...series.map((name, i) => ({ label: name, stroke: COLORS[i % COLORS.length] }))],
    };
    plot.current = new uPlot(opts, [[], [], ...series.map(() => [])], box.current);
    return () => plot.current.destroy();
  }, [names]);
  useEffect(() => {
    plot.current?.setData([samples.map((s) => s.t / 1000), samples.map((s) => s.total), ...series.map((name) => samples.map((s) => s.partitions[name] ?? null))]);
  }, [samples, names]);
  const last = samples[samples.length - 1];
  return html`<figure class="chart">
    <div ref=${box} role="img" aria-label=${`Lag over time (${samples.length} samples); now ${last?.total ?? 0} in total`}></div>
    <figcaption class="muted">Total lag (the thick line) and each partition's lag${series.length > 0 ? ` (${series.join(', ')})` : ''}, sampled by the console every ${history.intervalMs / 1000} s (and at each refresh of this page) since it started, the last ${Math.round(history.keepMs / 60000)} minutes kept.</figcaption>
  </figure>`;
}
