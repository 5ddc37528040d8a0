// `/groups`: each group's state, members and total lag.
import { html } from 'htm/preact';
import { enc } from './api.js';
import { formatNumber, LoadFailed, Loading, useApi } from './common.js';
import { Link } from './router.js';

export function GroupsView() {
  const { data, error } = useApi('/api/groups', { refreshMs: 5000 });
  if (error !== undefined) return html`<h1>Consumer groups</h1><${LoadFailed} error=${error} />`;
  if (data === undefined) return html`<h1>Consumer groups</h1><${Loading} />`;
  return html`
    <h1>Consumer groups</h1>
    <table>
      <thead><tr><th scope="col">Group</th><th scope="col">State</th><th scope="col" class="num">Members</th><th scope="col">Topics</th><th scope="col" class="num">Total lag</th></tr></thead>
      <tbody>
        ${data.groups.map((g) => html`<tr>
          <th scope="row"><${Link} href=${`/groups/${enc(g.groupId)}`}>${g.groupId}</${Link}></th><td>${g.state}</td><td class="num">${g.members}</td>
          <td>${g.topics.join(', ')}</td><td class="num">${formatNumber(g.lag)}</td>
        </tr>`)}
        ${data.groups.length === 0 ? html`<tr><td colspan="5" class="muted">No consumer groups yet.</td></tr>` : null}
      </tbody>
    </table>
  `;
}
