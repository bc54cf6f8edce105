import { DEPENDENCY_LIMITS, ON_CALENDAR_MAX_LENGTH } from '@cronbeat/core';
import { type Static, Type } from 'typebox';
import { DurationAnomaly, policyEditable } from './check-policy';
import { NullableTimestamp, nullableInteger, oneOf, Timestamp, Uuid } from './common';
import { PING_METHOD_SETTINGS, REMIND_LIMITS, SCHEDULE_LIMITS, SLUG_MAX_LENGTH, SLUG_PATTERN, STATUSES } from './values';

export const CheckStatus = oneOf(STATUSES);
export const Slug = Type.String({ pattern: SLUG_PATTERN, maxLength: SLUG_MAX_LENGTH, description: 'a-z, 0-9, - and _' });
/**
 * Healthchecks' `methods`: which requests ping the check. An `enum` without
 * `type`, because Ajv coerces to a declared type and would take a JSON null
 * as "" (any method) instead of refusing it.
 */
export const PingMethods = Type.Unsafe<(typeof PING_METHOD_SETTINGS)[number]>({
  enum: [...PING_METHOD_SETTINGS],
  description: '"" (any method) or "POST" (only POST pings count; a GET or HEAD is stored as ignored and changes nothing). Default: ""',
});
const Tag = Type.String({ pattern: '^\\S+$', minLength: 1, maxLength: 50, description: 'no spaces' });

/** The window a check is inside now: which, and until when. */
export const CheckInMaintenance = Type.Object({
  windowId: Uuid,
  name: Type.String(),
  until: Type.String({ format: 'date-time', description: 'when this occurrence of the window ends' }),
});

const period = `${SCHEDULE_LIMITS.min} … ${SCHEDULE_LIMITS.max}`;

// Nullable fields are one schema with a list of types, not a union: Ajv
// coerces types, and a union tried branch by branch turned a JSON null into
// 0 or "" (number or string first) or 0, "" and false into null (Null first).
/** Code points in a check's name (JSON Schema's maxLength counts code points). */
export const CHECK_NAME_MAX_LENGTH = 200;

const editable = {
  name: Type.String({ minLength: 1, maxLength: CHECK_NAME_MAX_LENGTH }),
  slug: Type.Unsafe<string | null>({
    type: ['string', 'null'],
    pattern: SLUG_PATTERN,
    maxLength: SLUG_MAX_LENGTH,
    description: 'a-z, 0-9, - and _; null: none',
  }),
  tags: Type.Array(Tag, { maxItems: 50 }),
  description: Type.String({ maxLength: 10_000 }),
  period: Type.Integer({ description: `seconds between pings (${period}); give one of period, cron and onCalendar` }),
  cron: Type.String({ minLength: 1, maxLength: 200, description: 'five-field cron expression; give one of period, cron and onCalendar' }),
  onCalendar: Type.String({
    minLength: 1,
    maxLength: ON_CALENDAR_MAX_LENGTH,
    description:
      'systemd OnCalendar expressions, one per line, expected at the union of their times (`Mon..Fri *-*-* 09:00`, `daily`, `*:0/15`; ' +
      'an expression may end with its own time zone); give one of period, cron and onCalendar',
  }),
  tz: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone of cron or onCalendar. Default: UTC' }),
  grace: Type.Integer({ description: 'seconds after the expected time before alerting. Default: the project default' }),
  maxRuntime: Type.Unsafe<number | null>({ type: ['integer', 'null'], description: 'seconds a run may take; null: the grace time' }),
  manualResume: Type.Boolean(),
  methods: PingMethods,
  alertOnLate: Type.Boolean({
    description:
      'also alert when the check turns late (a ping is overdue but still within grace), not only when it goes down. Default: false',
  }),
  remindEvery: nullableInteger(
    REMIND_LIMITS,
    `seconds: while the check stays down, alert again this often (${REMIND_LIMITS.min} … ${REMIND_LIMITS.max}, 5 minutes to 30 days); null: once`,
  ),
  channels: Type.Union([Type.Array(Uuid, { maxItems: 100 }), Type.Literal('*')], { description: 'channel ids, or "*" for all' }),
  dependsOn: Type.Array(Uuid, {
    maxItems: DEPENDENCY_LIMITS.parents.max,
    description:
      `ids of checks of this project that this check depends on, at most ${DEPENDENCY_LIMITS.parents.max}: while one of them is down, ` +
      'this check going down is recorded (reason dependency) and listed in its alert instead of alerting on its own. ' +
      'Replaces the list; [] for none. A list that would make a cycle is refused with a 400 naming it. Default: []',
  }),
  ...policyEditable,
};

/** What a PATCH changes: any of the writable fields. */
export const CheckPatch = Type.Object(
  {
    name: Type.Optional(editable.name),
    slug: Type.Optional(editable.slug),
    tags: Type.Optional(editable.tags),
    description: Type.Optional(editable.description),
    period: Type.Optional(editable.period),
    cron: Type.Optional(editable.cron),
    onCalendar: Type.Optional(editable.onCalendar),
    tz: Type.Optional(editable.tz),
    grace: Type.Optional(editable.grace),
    maxRuntime: Type.Optional(editable.maxRuntime),
    manualResume: Type.Optional(editable.manualResume),
    methods: Type.Optional(editable.methods),
    alertOnLate: Type.Optional(editable.alertOnLate),
    remindEvery: Type.Optional(editable.remindEvery),
    channels: Type.Optional(editable.channels),
    dependsOn: Type.Optional(editable.dependsOn),
    failureThreshold: Type.Optional(editable.failureThreshold),
    recoveryThreshold: Type.Optional(editable.recoveryThreshold),
    successKeywords: Type.Optional(editable.successKeywords),
    failureKeywords: Type.Optional(editable.failureKeywords),
    startKeywords: Type.Optional(editable.startKeywords),
    earlyTolerance: Type.Optional(editable.earlyTolerance),
    maxConcurrentRuns: Type.Optional(editable.maxConcurrentRuns),
    durationAnomaly: Type.Optional(editable.durationAnomaly),
  },
  { additionalProperties: false },
);

export const CheckCreate = Type.Object(
  {
    ...CheckPatch.properties,
    unique: Type.Optional(
      Type.Array(oneOf(['slug', 'name']), {
        maxItems: 1,
        description: 'upsert: update the check with the same slug (or name) instead of creating one',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CheckQuery = Type.Object(
  {
    tag: Type.Optional(Type.Array(Tag, { maxItems: 50, description: 'repeatable; every tag must match' })),
    status: Type.Optional(CheckStatus),
    slug: Type.Optional(Slug),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'part of the name or slug' })),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'checks per page; without limit or after, every check comes in one answer' }),
    ),
    after: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'cursor: the nextCursor of the previous page (pages hold 100 unless limit says)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const Check = Type.Object({
  id: Uuid,
  name: Type.String(),
  slug: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Array(Type.String()),
  description: Type.String(),
  period: Type.Union([Type.Integer(), Type.Null()], { description: 'seconds between pings, for a period schedule' }),
  cron: Type.Union([Type.String(), Type.Null()]),
  onCalendar: Type.Union([Type.String(), Type.Null()], { description: 'systemd OnCalendar expressions, one per line' }),
  tz: Type.String({ description: 'IANA time zone of cron or onCalendar' }),
  grace: Type.Integer({ description: 'seconds' }),
  maxRuntime: Type.Union([Type.Integer(), Type.Null()], { description: 'seconds; null: the grace time' }),
  manualResume: Type.Boolean(),
  methods: PingMethods,
  alertOnLate: Type.Boolean(),
  remindEvery: Type.Union([Type.Integer(), Type.Null()], { description: 'seconds between reminders while down; null: none' }),
  channels: Type.Optional(Type.Array(Uuid, { description: 'channel ids; absent for read-only callers' })),
  dependsOn: Type.Array(Uuid, { description: 'ids of the checks of this project this check depends on, oldest check first' }),
  failureThreshold: Type.Integer({ description: 'failed runs in a row before the check goes down' }),
  recoveryThreshold: Type.Integer({ description: 'successful runs in a row before a down check is up again' }),
  successKeywords: Type.Array(Type.String(), {
    description: 'a ping whose body contains one of these (case-insensitive) is a successful run',
  }),
  failureKeywords: Type.Array(Type.String(), { description: 'a ping whose body contains one of these (case-insensitive) is a failed run' }),
  startKeywords: Type.Array(Type.String(), {
    description: 'a ping whose body contains one of these (case-insensitive), and no failure or success keyword, starts a run',
  }),
  earlyTolerance: Type.Union([Type.Integer(), Type.Null()], {
    description: 'seconds a cron or OnCalendar job may start before its scheduled time; null: off',
  }),
  maxConcurrentRuns: Type.Union([Type.Integer(), Type.Null()], { description: 'runs open at once above this fail; null: off' }),
  durationAnomaly: DurationAnomaly,
  failures: Type.Integer({
    description: 'read-only: failed runs in a row counted toward failureThreshold; while 0 < failures the check is failing, not yet down',
  }),
  successes: Type.Integer({
    description: 'read-only: successful runs in a row while down, counted toward recoveryThreshold',
  }),
  status: CheckStatus,
  running: Type.Boolean(),
  lastPing: NullableTimestamp,
  nextPing: NullableTimestamp,
  alertAfter: NullableTimestamp,
  lastDuration: Type.Union([Type.Integer(), Type.Null()], { description: 'milliseconds' }),
  nPings: Type.Integer(),
  pingCode: Type.Optional(
    Type.String({
      format: 'uuid',
      description: 'the secret in the ping URL, apart from the id; absent for read-only callers, who may not ping',
    }),
  ),
  pingUrl: Type.Optional(Type.String({ description: '<PING_BASE_URL>/<pingCode>; absent for read-only callers' })),
  pingEmail: Type.Optional(
    Type.String({
      description:
        '<pingCode>@<EMAIL_PINGS_DOMAIN>: mail to it pings the check; absent for read-only callers and when the server takes no email pings',
    }),
  ),
  maintenance: Type.Union([CheckInMaintenance, Type.Null()], {
    description:
      'read-only: the maintenance window in force now that covers the check (of several, the one ending last); null: none. ' +
      'While it is, the check alerts nobody',
  }),
  createdAt: Timestamp,
});

/** `GET /checks`: every check at once (nextCursor null), or a page of them. */
export const CheckList = Type.Object({
  checks: Type.Array(Check),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as after for the next page; null on the last page' }),
});

export const SchedulePreview = Type.Object(
  {
    period: Type.Optional(editable.period),
    cron: Type.Optional(editable.cron),
    onCalendar: Type.Optional(editable.onCalendar),
    tz: Type.Optional(editable.tz),
    after: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now' })),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'Default: 5' })),
  },
  { additionalProperties: false },
);
export const ScheduleTimes = Type.Object({ times: Type.Array(Timestamp) });

const countsByStatus = Object.fromEntries(STATUSES.map((status) => [status, Type.Integer()])) as Record<
  (typeof STATUSES)[number],
  ReturnType<typeof Type.Integer>
>;
export const StatusSummary = Type.Object({
  total: Type.Integer(),
  running: Type.Integer(),
  byStatus: Type.Object(countsByStatus),
});

export type CheckStatus = Static<typeof CheckStatus>;
export type Slug = Static<typeof Slug>;
export type CheckPatch = Static<typeof CheckPatch>;
export type CheckCreate = Static<typeof CheckCreate>;
export type CheckQuery = Static<typeof CheckQuery>;
export type Check = Static<typeof Check>;
export type CheckInMaintenance = Static<typeof CheckInMaintenance>;
export type CheckList = Static<typeof CheckList>;
export type SchedulePreview = Static<typeof SchedulePreview>;
export type ScheduleTimes = Static<typeof ScheduleTimes>;
export type StatusSummary = Static<typeof StatusSummary>;
