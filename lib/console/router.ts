/**
 * A route table for the JSON API: method and path pattern (`:name`
 * segments, URL-decoded) to a handler that answers a JSON value.
 */
export interface ApiRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** An answer that is not JSON (an export): sent as it is, as a download named `filename`. */
export class FileAnswer {
  constructor(
    readonly type: string,
    readonly filename: string,
    readonly body: string,
  ) {}
}

export interface Route {
  readonly method: Method;
  readonly path: string;
  handle(request: ApiRequest): Promise<unknown>;
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

/** The route for this method and path; `allowed` lists the methods of routes matching the path alone (for 405). */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): { match?: RouteMatch; allowed: Method[] } {
  const allowed: Method[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params === undefined) continue;
    if (route.method === method) return { match: { route, params }, allowed };
    allowed.push(route.method);
  }
  return { allowed };
}

/** The parameters of `pattern` in `pathname`, or undefined when it does not match. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) return undefined;
  }
  return params;
}
