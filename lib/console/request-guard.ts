/**
 * What the console accepts, against other sites in the same browser:
 *
 * - Host must name the console itself (127.0.0.1, localhost or [::1] at its
 *   port), so that a page served from another name that resolves to
 *   127.0.0.1 (DNS rebinding) can neither read the shell nor call the API.
 * - A state-changing request (anything but GET and HEAD) must carry the
 *   per-process token in the `x-console-token` header, which only a page the
 *   console served can read; and when the browser sends Origin or
 *   Sec-Fetch-Site, they must say the request comes from the console's own
 *   origin. A cross-site form or fetch can set neither.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http.js';

export const TOKEN_HEADER = 'x-console-token';

const LOCAL_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export class RequestGuard {
  readonly token: string;
  private port = 0;

  constructor(token: string = randomBytes(32).toString('base64url')) {
    this.token = token;
  }

  /** The port the console listens on, once known (Host and Origin must name it). */
  listeningOn(port: number): void {
    this.port = port;
  }

  private hosts(): string[] {
    return LOCAL_NAMES.map((name) => `${name}:${this.port}`);
  }

  /** Throws HttpError 421 for a Host that is not the console's. */
  checkHost(req: IncomingMessage): void {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!this.hosts().includes(host)) throw new HttpError(421, 'MisdirectedRequest', `This console answers only for ${this.hosts().join(', ')}`);
  }

  /** Throws HttpError 403 unless a state-changing request comes from the console's own pages. */
  checkStateChange(req: IncomingMessage): void {
    const method = req.method ?? 'GET';
    if (method === 'GET' || method === 'HEAD') return;
    const origin = req.headers.origin;
    if (origin !== undefined && !this.hosts().map((h) => `http://${h}`).includes(origin.toLowerCase())) {
      throw new HttpError(403, 'CrossSiteRequest', `Requests from ${origin} are refused`);
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') throw new HttpError(403, 'CrossSiteRequest', `A ${site} request is refused`);
    const sent = req.headers[TOKEN_HEADER];
    if (typeof sent !== 'string' || !this.matches(sent)) {
      throw new HttpError(403, 'MissingConsoleToken', `State-changing requests need the console's token in the ${TOKEN_HEADER} header`);
    }
  }

  private matches(sent: string): boolean {
    const a = Buffer.from(sent);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
