/** Helpers for the api-v3 suites: Healthchecks-style requests to /api/v3 with an API key. */
import type { FastifyInstance } from 'fastify';

export type V3Method = 'GET' | 'POST' | 'DELETE';

/** One request to `/api/v3<url>` with `X-Api-Key` (none when `key` is null) and a JSON body when there is one. */
export const injectV3 = (app: FastifyInstance, method: V3Method, url: string, key: string | null, payload?: unknown) =>
  app.inject({
    method,
    url: `/api/v3${url}`,
    headers: key === null ? {} : { 'x-api-key': key },
    ...(payload !== undefined && { payload: payload as object }),
  });

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** `2020-03-24T14:02:03+00:00`: Healthchecks' times, whole seconds. */
export const HC_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/;
