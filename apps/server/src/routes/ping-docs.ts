import type { FastifySchema } from 'fastify';
import { Type } from 'typebox';
import type { PING_PATHS } from '../ping/address';

/** A plain-text answer, as the OpenAPI document describes it. */
const text = (description: string) => ({ description, content: { 'text/plain': { schema: { type: 'string' } } } });

const SEGMENT = {
  a: "the check's ping code (a UUID), or the project's ping key followed by a slug",
  b: "after a ping code: `start`, `fail`, `log` or an exit status 0–255; after a ping key: the check's slug",
  c: 'after a ping key and slug: `start`, `fail`, `log` or an exit status 0–255',
} as const;

/** Cronitor's telemetry parameters, taken by every form (see `ping/cronitor.ts`). */
const telemetryQuery = {
  state: Type.Optional(Type.String({ description: 'Cronitor: `run` (start), `complete` or `ok` (success), `fail`' })),
  series: Type.Optional(Type.String({ description: 'Cronitor: run id, any text (made a UUID, version 5, unless it is one)' })),
  message: Type.Optional(Type.String({ description: "Cronitor: stored as the ping's body when the request has none" })),
  status_code: Type.Optional(Type.String({ description: 'Cronitor: exit status 0–255' })),
  env: Type.Optional(Type.String({ description: 'Cronitor: stored with the user agent' })),
  host: Type.Optional(Type.String({ description: 'Cronitor: stored with the user agent' })),
  metric: Type.Optional(
    Type.String({ description: 'Cronitor: `duration:<seconds>` is the run’s duration when no start pairs; repeatable' }),
  ),
};

const answers = {
  200: text('OK: the ping is stored'),
  201: text('Created: `?create=1` (or Cronitor telemetry) made the check and stored the ping'),
  400: text('the URL is no ping form, a parameter is wrong, or the slug breaks the slug rule'),
  403: text("creating the check would pass the project's limit"),
  404: text('no check has this ping code, or this slug'),
  429: text('too many checks made with this ping key in the last minute'),
  503: text('the ping could not be stored now; send it again after Retry-After seconds'),
};

const COMMON =
  'GET, HEAD or POST (a check whose `methods` is `POST` stores GET and HEAD as ignored); a POST body (any type) is stored up to ' +
  'PING_BODY_LIMIT bytes. Answers are plain text; 503 with Retry-After means try again. With PING_BASE_URL on a host of its own, ' +
  "that host serves the same forms at its root (`/<uuid>`), as Healthchecks' hc-ping.com does.";

/** The OpenAPI description of each `/ping/` form; see the README's "Ping API". */
export function pingDocs(url: (typeof PING_PATHS)[number]): FastifySchema {
  const names = [...url.matchAll(/:(\w)/g)].map((match) => match[1] as keyof typeof SEGMENT);
  return {
    summary: {
      1: 'Ping a check by its ping code',
      2: 'Ping with a kind, or by ping key and slug',
      3: 'Ping by ping key and slug, with a kind',
    }[names.length],
    description: `Success by default; \`start\`, \`fail\`, \`log\` or an exit status (0 is success) say otherwise. ${COMMON} \`?rid=<uuid>\` pairs a start with its end; \`?create=1\` on a slug URL creates the check. Cronitor's telemetry parameters are taken too (a slug URL with them creates the check as Cronitor does).`,
    tags: ['Pings'],
    security: [],
    params: Type.Object(Object.fromEntries(names.map((name) => [name, Type.String({ description: SEGMENT[name] })]))),
    querystring: Type.Object({
      rid: Type.Optional(Type.String({ description: 'run id (a UUID) pairing a start with its end' })),
      create: Type.Optional(Type.String({ description: '`1`: with a ping key and slug, create the check if there is none' })),
      ...telemetryQuery,
    }),
    response: answers,
  };
}

/** The OpenAPI description of Cronitor's `/p/<key>/<monitor>` form. */
export const telemetryDocs: FastifySchema = {
  summary: 'Ping as Cronitor telemetry',
  description: `Cronitor's telemetry URL: \`state\` says what happened (a success without it), \`series\` pairs a run with its end. An unknown monitor key is created as a check with that slug, as Cronitor does. ${COMMON}`,
  tags: ['Pings'],
  security: [],
  params: Type.Object({
    key: Type.String({ description: "the project's ping key (Cronitor's API key in the URL)" }),
    monitor: Type.String({ description: "the check's slug (Cronitor's monitor key)" }),
  }),
  querystring: Type.Object({ ...telemetryQuery, rid: Type.Optional(Type.String({ description: 'run id (a UUID), instead of series' })) }),
  response: answers,
};
