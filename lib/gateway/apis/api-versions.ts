/** ApiVersions: exactly the APIs and versions this gateway serves. */
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler, ServedApi } from '../api-handler.js';

export function advertisedVersions(served: readonly ServedApi[]): { apiKey: number; minVersion: number; maxVersion: number }[] {
  return served.map((api) => ({ apiKey: api.apiKey, minVersion: api.minVersion, maxVersion: api.maxVersion })).sort((a, b) => a.apiKey - b.apiKey);
}

export const apiVersions: ApiHandler<typeof API_KEYS.ApiVersions> = {
  apiKey: API_KEYS.ApiVersions,
  minVersion: 0,
  maxVersion: 4,
  async handle(_request, ctx) {
    return { errorCode: 0, apiKeys: advertisedVersions(ctx.served), throttleTimeMs: 0 };
  },
};
