// The console's UI: a header with the views, and the view the URL names.
import { html, render } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { NotFound } from './common.js';
import { Link, matchPath, useLocation } from './router.js';
import { GroupView } from './view-group.js';
import { GroupsView } from './view-groups.js';
import { MaintenanceView } from './view-maintenance.js';
import { MessagesView } from './view-messages.js';
import { OverviewView } from './view-overview.js';
import { PartitionView } from './view-partition.js';
import { TopicView } from './view-topic.js';
import { TopicsView } from './view-topics.js';
import { TransactionsView } from './view-transactions.js';

const VIEWS = [
  { pattern: '/', title: () => 'Overview', view: OverviewView },
  { pattern: '/topics', title: () => 'Topics', view: TopicsView },
  { pattern: '/topics/:name', title: (p) => `Topic ${p.name}`, view: TopicView },
  { pattern: '/topics/:name/messages', title: (p) => `Messages of ${p.name}`, view: MessagesView },
  { pattern: '/topics/:name/partitions/:partition', title: (p) => `Partition ${p.partition} of ${p.name}`, view: PartitionView },
  { pattern: '/groups', title: () => 'Consumer groups', view: GroupsView },
  { pattern: '/groups/:id', title: (p) => `Group ${p.id}`, view: GroupView },
  { pattern: '/transactions', title: () => 'Transactions', view: TransactionsView },
  { pattern: '/maintenance', title: () => 'Maintenance', view: MaintenanceView },
];

function App() {
  const { path, query } = useLocation();
  const found = VIEWS.map((v) => ({ ...v, params: matchPath(v.pattern, path) })).find((v) => v.params !== undefined);
  const title = found !== undefined ? found.title(found.params) : 'Not found';
  useEffect(() => {
    document.title = `${title} · kafkaless console`;
  }, [title]);
  const section = path === '/' ? 'overview' : path.split('/')[1];
  const nav = (href, name, label) => html`<${Link} href=${href} aria-current=${section === name ? 'page' : undefined}>${label}</${Link}>`;
  return html`
    <header class="top">
      <${Link} href="/" class="brand">kafkaless console</${Link}>
      <nav aria-label="Views">${nav('/', 'overview', 'Overview')} ${nav('/topics', 'topics', 'Topics')} ${nav('/groups', 'groups', 'Consumer groups')} ${nav('/transactions', 'transactions', 'Transactions')} ${nav('/maintenance', 'maintenance', 'Maintenance')}</nav>
    </header>
    <main id="main">
      ${found !== undefined ? html`<${found.view} key=${path} params=${found.params} query=${query} />` : html`<${NotFound} />`}
    </main>
  `;
}

render(html`<${App} />`, document.getElementById('app'));
