// `/transactions`: every transactional id, its producer, state and open transaction.
import { html } from 'htm/preact';
import { formatTime, LoadFailed, Loading, useApi } from './common.js';

export function TransactionsView() {
  const { data, error } = useApi('/api/transactions', { refreshMs: 5000 });
  if (error !== undefined) return html`<h1>Transactions</h1><${LoadFailed} error=${error} />`;
  if (data === undefined) return html`<h1>Transactions</h1><${Loading} />`;
  return html`
    <h1>Transactions</h1>
    <table>
      <thead><tr><th scope="col">Transactional id</th><th scope="col">State</th><th scope="col" class="num">Producer id</th><th scope="col" class="num">Epoch</th><th scope="col" class="num">Timeout (ms)</th><th scope="col">Started</th><th scope="col">Partitions</th><th scope="col">Groups</th></tr></thead>
      <tbody>
        ${data.transactions.map((t) => html`<tr>
          <th scope="row">${t.transactionalId}</th><td>${t.state}</td><td class="num">${t.producerId}</td><td class="num">${t.producerEpoch}</td><td class="num">${t.transactionTimeoutMs}</td>
          <td>${t.transactionStartTimeMs >= 0 ? formatTime(t.transactionStartTimeMs) : html`<span class="muted">none open</span>`}</td>
          <td>${t.topicPartitions.map((p) => `${p.topic}/${p.partition}`).join(', ')}</td><td>${t.groupIds.join(', ')}</td>
        </tr>`)}
        ${data.transactions.length === 0 ? html`<tr><td colspan="8" class="muted">No transactional producers yet.</td></tr>` : null}
      </tbody>
    </table>
  `;
}
