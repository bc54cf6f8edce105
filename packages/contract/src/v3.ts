/**
 * Healthchecks' Management API v3, as Cronbeat serves it at /api/v3/: the
 * field names, units and shapes of Healthchecks' documentation
 * (healthchecks.io/docs/api/), snake_case, times as ISO 8601 with a
 * `+00:00` offset and no fractions, so its clients and Terraform provider
 * work unchanged. Cronbeat's own API (/api/v1) has its own shapes.
 */
import { type Static, Type } from 'typebox';
import { oneOf } from './common';

/** Seconds, 1 minute … 1 year, as Healthchecks bounds `timeout` and `grace`. */
const V3_SECONDS = { minimum: 60, maximum: 31_536_000 } as const;

/** `new`, `up`, `grace` (late: overdue, still within its grace time), `down`, `paused`. */
export const V3_STATUSES = ['new', 'up', 'grace', 'down', 'paused'] as const;
export type V3Status = (typeof V3_STATUSES)[number];

export const V3Check = Type.Object({
  name: Type.String(),
  slug: Type.String({ description: '"" when the check has none' }),
  tags: Type.String({ description: 'space-separated' }),
  desc: Type.String(),
  grace: Type.Integer({ description: 'seconds' }),
  n_pings: Type.Integer(),
  status: oneOf(V3_STATUSES),
  started: Type.Boolean({ description: 'a run has started and not ended' }),
  last_ping: Type.Union([Type.String(), Type.Null()]),
  next_ping: Type.Union([Type.String(), Type.Null()]),
  manual_resume: Type.Boolean(),
  methods: oneOf(['', 'POST'], { description: '"" any method pings; "POST": only POST, other requests are logged as ignored' }),
  subject: Type.String({ description: 'deprecated in Healthchecks: success_kw when filter_subject' }),
  subject_fail: Type.String({ description: 'deprecated in Healthchecks: failure_kw when filter_subject' }),
  start_kw: Type.String({ description: 'comma-separated keywords that make a ping body (or an email ping) a start' }),
  success_kw: Type.String({ description: 'comma-separated keywords that make a ping body a success' }),
  failure_kw: Type.String({ description: 'comma-separated keywords that make a ping body a failure' }),
  filter_subject: Type.Boolean({ description: "true when the check has keywords: Cronbeat applies them to an email ping's subject" }),
  filter_body: Type.Boolean({ description: "true when the check has keywords: Cronbeat applies them to an email ping's text" }),
  filter_http_body: Type.Boolean({ description: 'true when the check has keywords (Cronbeat applies them to every HTTP ping body)' }),
  filter_default_fail: Type.Boolean({ description: 'always false' }),
  last_duration: Type.Optional(Type.Integer({ description: 'seconds the last run took; absent when unknown' })),
  unique_key: Type.Optional(Type.String({ description: 'read-only keys only: a stable id derived from the uuid' })),
  uuid: Type.Optional(Type.String({ description: 'read-write keys only: the id in /api/v3/checks/<uuid>' })),
  ping_url: Type.Optional(Type.String()),
  update_url: Type.Optional(Type.String()),
  pause_url: Type.Optional(Type.String()),
  resume_url: Type.Optional(Type.String()),
  channels: Type.Optional(Type.String({ description: 'comma-separated channel ids' })),
  timeout: Type.Optional(Type.Integer({ description: 'seconds between pings, for simple (period) checks' })),
  schedule: Type.Optional(Type.String({ description: 'cron expression, for cron checks' })),
  tz: Type.Optional(Type.String({ description: 'time zone of the schedule' })),
});

export const V3CheckList = Type.Object({ checks: Type.Array(V3Check) });

/**
 * A create or update, every field optional, as Healthchecks takes it:
 * types are strict (no "60" for 60) and unknown fields are ignored.
 */
export const V3CheckSpec = Type.Object({
  api_key: Type.Optional(Type.String({ description: 'the API key, for clients that cannot send X-Api-Key' })),
  name: Type.Optional(Type.String({ maxLength: 100 })),
  slug: Type.Optional(Type.String({ maxLength: 100, pattern: '^[a-z0-9-_]*$' })),
  tags: Type.Optional(Type.String({ description: 'space-separated' })),
  desc: Type.Optional(Type.String()),
  timeout: Type.Optional(Type.Integer({ ...V3_SECONDS, description: 'seconds; makes the check a simple (period) check' })),
  grace: Type.Optional(Type.Integer({ ...V3_SECONDS, description: 'seconds' })),
  schedule: Type.Optional(Type.String({ maxLength: 100, description: 'a cron expression; wins over timeout when both are given' })),
  tz: Type.Optional(Type.String({ description: 'IANA time zone of the schedule. Default: UTC' })),
  manual_resume: Type.Optional(Type.Boolean()),
  methods: Type.Optional(oneOf(['', 'POST'])),
  channels: Type.Optional(Type.String({ description: '"*" every channel, "" none, or comma-separated channel ids or names' })),
  unique: Type.Optional(
    Type.Array(oneOf(['name', 'slug', 'tags', 'timeout', 'grace']), {
      description: 'upsert: update the first check equal in all these fields (200) instead of creating one (201)',
    }),
  ),
  success_kw: Type.Optional(Type.String({ maxLength: 200, description: 'comma-separated' })),
  failure_kw: Type.Optional(Type.String({ maxLength: 200, description: 'comma-separated' })),
  subject: Type.Optional(Type.String({ maxLength: 200, description: 'deprecated: success_kw' })),
  subject_fail: Type.Optional(Type.String({ maxLength: 200, description: 'deprecated: failure_kw' })),
  start_kw: Type.Optional(Type.String({ maxLength: 200, description: 'comma-separated' })),
  filter_subject: Type.Optional(Type.Boolean({ description: "accepted: keywords always apply to an email ping's subject" })),
  filter_body: Type.Optional(Type.Boolean({ description: "accepted: keywords always apply to an email ping's text" })),
  filter_http_body: Type.Optional(Type.Boolean({ description: 'accepted: keywords always apply to HTTP ping bodies' })),
  filter_default_fail: Type.Optional(Type.Boolean({ description: 'only false' })),
});

/** `<uuid>` or, where Healthchecks takes it, a read-only key's `<unique_key>`. */
export const V3CheckParams = Type.Object({ code: Type.String({ maxLength: 40 }) });
export const V3PingParams = Type.Object({ code: Type.String({ maxLength: 40 }), n: Type.String({ pattern: '^[0-9]{1,9}$' }) });

export const V3Ping = Type.Object({
  type: oneOf(['success', 'start', 'fail', 'log', 'ign']),
  date: Type.String(),
  n: Type.Integer(),
  scheme: Type.String(),
  remote_addr: Type.Union([Type.String(), Type.Null()]),
  method: Type.String(),
  ua: Type.String(),
  rid: Type.Union([Type.String(), Type.Null()]),
  body_url: Type.Union([Type.String(), Type.Null()]),
  duration: Type.Optional(Type.Number({ description: 'seconds the run took, for pings that end one' })),
});
export const V3PingList = Type.Object({ pings: Type.Array(V3Ping) });

const UnixTime = Type.String({ pattern: '^[0-9]{1,11}$', description: 'a UNIX timestamp in seconds' });
export const V3FlipQuery = Type.Object({
  seconds: Type.Optional(Type.String({ pattern: '^[0-9]{1,8}$', description: 'only flips of the last this many seconds (≤ 31536000)' })),
  start: Type.Optional(UnixTime),
  end: Type.Optional(UnixTime),
});
export const V3Flip = Type.Object({ timestamp: Type.String(), up: Type.Integer({ description: '1 when the check went up, else 0' }) });
export const V3FlipList = Type.Object({ flips: Type.Array(V3Flip) });

export const V3CheckQuery = Type.Object({
  tag: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'repeatable: every tag must be on the check' })),
  slug: Type.Optional(Type.String()),
});

export const V3ChannelList = Type.Object({
  channels: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() })),
});

const BadgeUrls = Type.Object({
  svg: Type.String(),
  svg3: Type.String(),
  json: Type.String(),
  json3: Type.String(),
  shields: Type.String(),
  shields3: Type.String(),
});
export const V3Badges = Type.Object({ badges: Type.Record(Type.String(), BadgeUrls, { description: 'by tag; "*" is every check' }) });

/** Healthchecks' error shape: one message. */
export const V3Error = Type.Object({ error: Type.String() });
export const v3Errors = { 400: V3Error, 401: V3Error, 404: V3Error, 429: V3Error };

export type V3Check = Static<typeof V3Check>;
export type V3CheckSpec = Static<typeof V3CheckSpec>;
export type V3Ping = Static<typeof V3Ping>;
export type V3Flip = Static<typeof V3Flip>;
