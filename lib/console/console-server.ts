/**
 * The web console's server: node:http on 127.0.0.1, a JSON API under /api/
 * whose handlers call lib/client's Admin, Consumer and Producer through the
 * Kafkaless it is given, the UI's files, and the app shell for every view
 * URL. The browser talks only to this server: it never sees AWS
 * credentials, which stay with the client in this process.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kafkaless } from '../client/kafkaless.js';
import type { Producer } from '../client/producer/producer.js';
import { StorageInspection } from '../client/storage-inspection.js';
import { KafkalessError } from '../errors.js';
import { groupRoutes } from './api/groups.js';
import { maintenanceRoutes } from './api/maintenance.js';
import { messageRoutes } from './api/messages.js';
import { overviewRoutes } from './api/overview.js';
import { topicRoutes } from './api/topics.js';
import { transactionRoutes } from './api/transactions.js';
import { readAsset } from './assets.js';
import type { ConsoleContext } from './context.js';
import { HttpError, readJsonBody, sendError, sendJson } from './http.js';
import { LagHistory, type LagHistoryOptions } from './lag-history.js';
import { RequestGuard } from './request-guard.js';
import { FileAnswer, matchPath, matchRoute, type Route } from './router.js';
import { CONTENT_SECURITY_POLICY, shellHtml, VIEW_PATTERNS } from './shell.js';

export const CONSOLE_HOST = '127.0.0.1';

export interface ConsoleOptions {
  readonly kafkaless: Kafkaless;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** How often the server samples every group's lag (the lag chart's history), and for how long it keeps it. */
  readonly lagHistory?: LagHistoryOptions;
}

export interface ConsoleServer {
  readonly url: string;
  readonly port: number;
  /** The per-process token state-changing requests carry (x-console-token). */
  readonly token: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export async function startConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  const { kafkaless } = options;
  let producer: Producer | undefined;
  const lagHistory = new LagHistory(kafkaless.admin(), options.lagHistory);
  const context: ConsoleContext = { kafkaless, producer: () => (producer ??= kafkaless.producer()), inspection: new StorageInspection(kafkaless.transport), lagHistory };
  const routes: Route[] = [
    ...overviewRoutes(context),
    ...topicRoutes(context),
    ...messageRoutes(context),
    ...maintenanceRoutes(context),
    ...groupRoutes(context),
    ...transactionRoutes(context),
  ];
  const guard = new RequestGuard();
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, err);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    guard.checkHost(req);
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    const method = req.method ?? 'GET';
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      guard.checkStateChange(req);
      const { match, allowed } = matchRoute(routes, method, url.pathname);
      if (match === undefined) {
        if (allowed.length > 0) res.setHeader('allow', allowed.join(', '));
        throw allowed.length > 0 ? new HttpError(405, 'MethodNotAllowed', `${method} is not allowed on ${url.pathname}`) : new HttpError(404, 'NotFound', `No API at ${url.pathname}`);
      }
      const body = method === 'GET' ? undefined : await readJsonBody(req);
      const answer = await match.route.handle({ params: match.params, query: url.searchParams, body });
      if (answer instanceof FileAnswer) {
        res.writeHead(200, { 'content-type': answer.type, 'cache-control': 'no-store', 'content-disposition': `attachment; filename="${answer.filename.replace(/[^\w.-]/g, '_')}"` });
        res.end(answer.body);
        return;
      }
      sendJson(res, 200, answer);
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'MethodNotAllowed', `${method} is not allowed on ${url.pathname}`);
    const asset = await readAsset(url.pathname);
    if (asset !== undefined) {
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache', 'content-length': asset.body.length });
      res.end(method === 'HEAD' ? undefined : asset.body);
      return;
    }
    const html = shellHtml(guard.token);
    res.writeHead(await viewStatus(url.pathname), { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(method === 'HEAD' ? undefined : html);
  }

  /** 200 for a view of something that exists, 404 for an unknown path, topic or group (the shell shows the same). */
  async function viewStatus(pathname: string): Promise<number> {
    const view = VIEW_PATTERNS.map((pattern) => ({ pattern, params: matchPath(pattern, pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname) })).find((v) => v.params !== undefined);
    if (view === undefined) return 404;
    try {
      if (view.params!.name !== undefined) {
        const [topic] = await kafkaless.admin().describeTopics({ topics: [view.params!.name] });
        const partition = view.params!.partition;
        if (partition !== undefined && !(/^\d+$/.test(partition) && Number(partition) < topic!.partitions.length)) return 404;
      }
      if (view.params!.id !== undefined) {
        const [group] = (await kafkaless.admin().describeGroups([view.params!.id])).groups;
        if (group === undefined || (group.state === 'Dead' && group.members.length === 0 && group.partitions.length === 0)) return 404;
      }
      return 200;
    } catch (err) {
      if (err instanceof KafkalessError && ['UnknownTopicOrPartition', 'InvalidTopic', 'InvalidGroupId', 'GroupIdNotFound', 'InvalidRequest'].includes(err.code)) return 404;
      throw err;
    }
  }

  const port = options.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, CONSOLE_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  guard.listeningOn(bound);
  lagHistory.start();
  return {
    url: `http://${CONSOLE_HOST}:${bound}`,
    port: bound,
    token: guard.token,
    async close() {
      await lagHistory.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await producer?.disconnect();
    },
  };
}
