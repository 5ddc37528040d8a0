// Commits per minute over the last hour, read back from the batch index (uPlot).
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export function CommitsChart({ perMinute }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const opts = {
      width: Math.min(900, box.current.clientWidth || 900),
      height: 160,
      legend: { show: false },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, Math.ceil((max ?? 0) * 1.1))] } },
      series: [{}, { label: 'commits', stroke: '#0550ae', fill: 'rgba(5, 80, 174, 0.1)', width: 2 }],
    };
    plot.current = new uPlot(opts, [[], []], box.current);
    return () => plot.current.destroy();
  }, []);
  useEffect(() => {
    plot.current?.setData([perMinute.map((m) => m.minute / 1000), perMinute.map((m) => m.commits)]);
  }, [perMinute]);
  const total = perMinute.reduce((sum, m) => sum + m.commits, 0);
  return html`<figure class="chart">
    <div ref=${box} role="img" aria-label=${`Commits per minute over the last ${perMinute.length} minutes; ${total} in all`}></div>
    <figcaption class="muted">Commits per minute (one ingest object and one DynamoDB transaction each), from the batch index's commit times.</figcaption>
  </figure>`;
}
