/** The memory tables: handler peaks against the function's memory size, and the producer's peak against buffer.memory. */
import type { HandlerMemory } from './memory-handler.js';
import type { ProducerMemory } from './memory-producer.js';
import { fixed, GIB, int, MIB, printTable } from './table.js';

const mib = (bytes: number): string => fixed(bytes / MIB, 1);

export function printHandlerMemory(rows: readonly HandlerMemory[]): void {
  printTable(
    'Peak memory of the functions at their largest requests (the deployed bundles, in a child process)',
    ['case', 'event MiB', 'reply MiB', 'baseline RSS MiB', 'peak RSS MiB', 'peak heap MiB', 'memorySize MiB', 'peak / memorySize'],
    rows.map((r) => [
      r.label,
      mib(r.requestBytes),
      mib(r.replyBytes),
      mib(r.baselineRssBytes),
      mib(r.peakRssBytes),
      mib(r.peakHeapUsedBytes),
      int(r.memorySizeMb),
      `${fixed((100 * r.peakRssBytes) / MIB / r.memorySizeMb, 0)}%`,
    ]),
    [
      'Each case handles the event 3 times after a warm-up. Baseline: RSS after warm-up and a full GC. Peak RSS: the process\'s',
      'high-water mark (VmHWM), which includes Node itself; peak heap: heapUsed sampled every millisecond.',
      'memorySize: the stack\'s default (lib/infra/defaults.ts), which Lambda enforces on the whole process.',
    ],
  );
}

export function printProducerMemory(r: ProducerMemory): void {
  printTable(
    `Peak memory of a producer pushing ${r.totalBytes >= GIB ? `${fixed(r.totalBytes / GIB, 0)} GiB` : `${fixed(r.totalBytes / MIB, 0)} MiB`} (embedded transport, child process)`,
    ['records', 'seconds', 'MiB/s', 'baseline RSS MiB', 'peak RSS MiB', 'peak - baseline MiB', 'peak heap MiB', 'buffer.memory MiB'],
    [[int(r.records), fixed(r.seconds, 1), fixed(r.totalBytes / MIB / r.seconds, 1), mib(r.baselineRssBytes), mib(r.peakRssBytes), mib(r.peakRssBytes - r.baselineRssBytes), mib(r.peakHeapUsedBytes), mib(r.bufferMemoryBytes)]],
    [
      `1 KiB values, ${r.partitions} partitions round-robin, batch.size ${r.batchSizeBytes / 1024} KiB, other settings default; the app keeps at most 8 sends of`,
      '1,000 messages outstanding and shares one value buffer. The embedded broker (its request and reply copies) runs in the same',
      'process, so its memory is in the figure too. Baseline: RSS after one send and a full GC, including Node, tsx and the AWS SDK.',
    ],
  );
}
