/**
 * A TCP proxy in front of several gateways, as a load balancer would be:
 * clients connect to it, and it forwards each connection to the gateway it
 * currently routes to. Gateways behind it advertise its address, so clients
 * never learn which instance answers.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { decodeRequestHeader, FrameSplitter, type RequestHeader } from '../../lib/wire/index.js';

export interface Upstream {
  readonly host: string;
  readonly port: number;
}

/** An answer `failOver` kept from its client: the request it answered, and its payload (after the size). */
export interface LostAnswer {
  readonly request: RequestHeader;
  readonly payload: Buffer;
}

/** Request headers kept per connection, to name what a lost answer answered. */
const MAX_TRACKED_REQUESTS = 1_000;

interface Route {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly requests: Map<number, RequestHeader>;
  /** Set by `failOver`: the gateway's next answer is kept from the client, and both sides closed. */
  lost: FrameSplitter | undefined;
}

export class SwitchProxy {
  /** Connections opened to each upstream, by "host:port". */
  readonly connectionsTo = new Map<string, number>();
  readonly lostAnswers: LostAnswer[] = [];
  private readonly routes = new Set<Route>();
  private target: Upstream | undefined;

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
  ) {
    server.on('connection', (client) => this.forward(client));
  }

  static async start(host = '127.0.0.1'): Promise<SwitchProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
    return new SwitchProxy(server, host, address.port);
  }

  /** New connections go to `to`; open ones keep their gateway. */
  routeTo(to: Upstream): void {
    this.target = to;
  }

  /** New connections go to `to`, and every open one is closed now (its client reconnects). */
  switchTo(to: Upstream): void {
    this.target = to;
    for (const route of this.routes) this.drop(route);
  }

  /**
   * New connections go to `to`; each open one is closed when its gateway
   * next answers, and that answer is lost (kept in `lostAnswers`): the old
   * gateway handled the request, but its client never hears so.
   */
  failOver(to: Upstream): void {
    this.target = to;
    for (const route of this.routes) route.lost = new FrameSplitter();
  }

  close(): Promise<void> {
    for (const route of this.routes) this.drop(route);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: Socket): void {
    const to = this.target;
    if (to === undefined) {
      client.destroy();
      return;
    }
    const key = `${to.host}:${to.port}`;
    this.connectionsTo.set(key, (this.connectionsTo.get(key) ?? 0) + 1);
    const route: Route = { client, upstream: connect(to.port, to.host), requests: new Map(), lost: undefined };
    this.routes.add(route);
    const requests = new FrameSplitter();
    client.on('data', (chunk: Buffer) => {
      for (const frame of requests.push(chunk)) this.track(route, decodeRequestHeader(frame).header);
      route.upstream.write(chunk);
    });
    route.upstream.on('data', (chunk: Buffer) => {
      if (route.lost === undefined) {
        client.write(chunk);
        return;
      }
      const [payload] = route.lost.push(chunk);
      if (payload === undefined) return;
      const request = route.requests.get(payload.readInt32BE(0));
      if (request !== undefined) this.lostAnswers.push({ request, payload });
      this.drop(route);
    });
    for (const socket of [client, route.upstream]) {
      socket.on('error', () => this.drop(route));
      socket.on('close', () => this.drop(route));
    }
  }

  private track(route: Route, header: RequestHeader): void {
    route.requests.set(header.correlationId, header);
    if (route.requests.size > MAX_TRACKED_REQUESTS) route.requests.delete(route.requests.keys().next().value!);
  }

  private drop(route: Route): void {
    if (!this.routes.delete(route)) return;
    route.client.destroy();
    route.upstream.destroy();
  }
}
