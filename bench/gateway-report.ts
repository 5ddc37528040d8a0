/** The gateway benchmark's table: each case native and through the gateway, and their ratios. */
import { FETCH_BYTES, type GatewayRow } from './gateway.js';
import { percentile } from './groups-tracker.js';
import { fixed, int, printTable } from './table.js';

const ratio = (gateway: number, native: number): string => (native > 0 && Number.isFinite(gateway) ? `${(gateway / native).toFixed(2)}x` : '-');

export function printGateway(rows: readonly GatewayRow[]): void {
  const cases = [...new Set(rows.map((r) => `${r.operation}/${r.clients}`))];
  const table = cases.map((c) => {
    const native = rows.find((r) => r.path === 'native' && `${r.operation}/${r.clients}` === c)!;
    const gateway = rows.find((r) => r.path === 'gateway' && `${r.operation}/${r.clients}` === c)!;
    const figures = (r: GatewayRow) => ({ perSecond: r.records / r.seconds, p50: percentile(r.latenciesMs, 0.5), p99: percentile(r.latenciesMs, 0.99) });
    const n = figures(native);
    const g = figures(gateway);
    return [
      native.operation,
      String(native.clients),
      int(native.records),
      int(n.perSecond),
      `${fixed(n.p50)}/${fixed(n.p99)}`,
      int(g.perSecond),
      `${fixed(g.p50)}/${fixed(g.p99)}`,
      ratio(g.perSecond, n.perSecond),
      ratio(g.p50, n.p50),
      ratio(g.p99, n.p99),
    ];
  });
  printTable(
    'Gateway (kafkajs 2.2.4 over TCP) against the native client (embedded transport), same broker, same services',
    ['operation', 'clients', 'records', 'native rec/s', 'native ms p50/p99', 'gateway rec/s', 'gateway ms p50/p99', 'rec/s gw/native', 'p50 gw/native', 'p99 gw/native'],
    table,
    [
      'produce: one 1 KiB record per request, idempotent, acks all; each client its own producer and partition.',
      `fetch: each reader reads its partition from offset 0, at most ${FETCH_BYTES / 1024} KiB per fetch (the records the native path wrote).`,
      'ms: one request as the client saw it. rec/s gw/native below 1x, or ms gw/native above 1x: the gateway is slower.',
    ],
  );
}
