// `/topics/<name>/partitions/<p>?from=O`: which S3 object and index item holds which offsets — ingest
// batches, aggregated runs (batchCount), segments after a roll — with sizes, times and the registry's refs.
import { html } from 'htm/preact';
import { enc } from './api.js';
import { formatBytes, formatNumber, formatTime, LoadFailed, Loading, useApi } from './common.js';
import { Link } from './router.js';

function kindOf(item) {
  if (item.kind === 'segment') return 'segment';
  return item.batchCount > 1 ? `aggregated run of ${item.batchCount} batches` : 'ingest batch';
}

export function PartitionView({ params, query }) {
  const from = query.get('from');
  const path = `/api/topics/${enc(params.name)}/partitions/${enc(params.partition)}${from ? `?from=${enc(from)}` : ''}`;
  const { data, error } = useApi(path);
  const title = `Partition ${params.partition} of ${params.name}`;
  if (error !== undefined) return html`<${LoadFailed} error=${error} />`;
  if (data === undefined) return html`<h1>${title}</h1><${Loading} />`;
  const base = `/topics/${enc(data.topic)}/partitions/${data.partition}`;
  const objects = new Map(data.objects.map((o) => [o.key, o]));
  return html`
    <h1>${title}</h1>
    <p class="muted"><${Link} href=${`/topics/${enc(data.topic)}`}>Topic ${data.topic}</${Link}> · topic id <code>${data.topicId}</code> ·${' '}<${Link} href=${`/topics/${enc(data.topic)}/messages?partition=${data.partition}`}>Messages of this partition</${Link}></p>
    <dl class="cards">
      <div class="card"><dt>Log start offset</dt><dd>${formatNumber(data.logStartOffset)}</dd></div>
      <div class="card"><dt>High watermark</dt><dd>${formatNumber(data.highWatermark)}</dd></div>
      <div class="card"><dt>Bytes in the index</dt><dd>${formatBytes(data.bytes)}</dd></div>
      <div class="card"><dt>Last commit</dt><dd>${data.lastAppendTime > 0 ? formatTime(data.lastAppendTime) : 'none'}</dd></div>
    </dl>
    <h2>Index items and their objects</h2>
    <p class="muted">One row per batch index item in DynamoDB (key <code>${data.topicId}#${data.partition}</code>, sorted by base offset), each pointing at a byte range of an S3 object. Offsets run on without a gap from the log start to the high watermark.</p>
    <table aria-label="Index items">
      <thead><tr><th scope="col" class="num">Offsets</th><th scope="col">Kind</th><th scope="col">S3 object</th><th scope="col" class="num">Bytes at</th><th scope="col" class="num">Size</th><th scope="col" class="num">Records</th><th scope="col">Committed</th><th scope="col">Record times</th><th scope="col">Producer</th><th scope="col" class="num">Object refs</th></tr></thead>
      <tbody>
        ${data.items.map((i) => {
          const object = objects.get(i.objectKey);
          return html`<tr>
            <th scope="row" class="num nowrap">${formatNumber(i.baseOffset)}–${formatNumber(i.lastOffset)}</th>
            <td>${kindOf(i)}</td>
            <td><code class="key">${i.objectKey}</code></td>
            <td class="num">${formatNumber(i.position)}</td>
            <td class="num">${formatBytes(i.sizeBytes)}</td>
            <td class="num">${formatNumber(i.recordCount)}</td>
            <td class="nowrap">${formatTime(i.appendTime)}</td>
            <td class="nowrap">${formatTime(i.firstTimestamp)}${i.maxTimestamp !== i.firstTimestamp ? html`<br />to ${formatTime(i.maxTimestamp)}` : ''}</td>
            <td>${i.producerId >= 0 ? `${i.producerId} (epoch ${i.producerEpoch}, seq ${i.baseSequence})` : html`<span class="muted">none</span>`}${i.isTransactional ? html` <span class="badge">txn</span>` : ''}</td>
            <td class="num">${object?.refs !== undefined ? `${object.refs}${object.state !== 'live' ? ` (${object.state})` : ''}` : html`<span class="muted">no item</span>`}</td>
          </tr>`;
        })}
        ${data.items.length === 0 ? html`<tr><td colspan="10" class="muted">No index items: the partition holds no records.</td></tr>` : null}
      </tbody>
    </table>
    <p>${from ? html`<${Link} href=${base}>From the log start</${Link}> ` : null}${data.nextOffset !== undefined ? html`<${Link} href=${`${base}?from=${data.nextOffset}`}>Next items (from offset ${data.nextOffset})</${Link}>` : null}</p>
    <p class="muted">“Object refs” is the object registry's count of index items pointing at the object (an ingest object shared by several partitions' batches counts each); the garbage collector deletes an object only once it is 0 for the grace period.</p>
  `;
}
