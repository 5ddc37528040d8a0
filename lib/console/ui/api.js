// The console's API from the browser: JSON over fetch, state-changing calls
// carrying the token the shell was served with.
const token = document.querySelector('meta[name="console-token"]')?.getAttribute('content') ?? '';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-console-token'] = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const payload = await res.json().catch(() => ({}));
  if (!res.ok) {
    const error = payload.error ?? {};
    throw new ApiError(res.status, error.code ?? `HTTP ${res.status}`, error.message ?? res.statusText);
  }
  return payload;
}

export const get = (path) => api('GET', path);
export const enc = encodeURIComponent;
