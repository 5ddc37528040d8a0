// A group's lag over the time this view has been open, per partition and in total (uPlot).
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

const COLORS = ['#0550ae', '#a40e26', '#116329', '#8250df', '#9a6700', '#1b7c83', '#bf3989', '#57606a'];

function timeRange(u, min, max) {
  const end = max ?? Date.now() / 1000;
  return [Math.min(min ?? end, end - 60), end];
}

/** samples: [{ t (ms), total, partitions: { 'topic/p': lag } }]; series: the partition names to draw. */
export function LagChart({ samples, series }) {
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
    <div ref=${box} role="img" aria-label=${`Lag over time; now ${last?.total ?? 0} in total`}></div>
    <figcaption class="muted">Total lag (the thick line) and each partition's lag${series.length > 0 ? ` (${series.join(', ')})` : ''}, sampled every 2 s while this page is open.</figcaption>
  </figure>`;
}
