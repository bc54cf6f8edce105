import { type Static, Type } from 'typebox';
import { CHECK_NAME_MAX_LENGTH, CheckInMaintenance, CheckStatus, StatusSummary } from './checks';
import { NullableTimestamp, oneOf, Timestamp, Uuid } from './common';
import { STATUSES } from './values';

/**
 * What one cell of a check's history strip says. Cells are events, newest
 * first: each run's end (`success`, `failed`), each deadline that passed
 * without a ping (`late`, then `missed` when it went down), a pause, a miss
 * inside a maintenance window (`maintenance`), and `running` for a run open now.
 */
export const RUN_OUTCOMES = ['success', 'failed', 'missed', 'late', 'running', 'paused', 'maintenance'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** The columns the checks list sorts by on the server. `created`: oldest first, the API's own order. */
export const OVERVIEW_SORTS = ['created', 'name', 'status', 'lastPing', 'nextDue'] as const;
export type OverviewSort = (typeof OVERVIEW_SORTS)[number];

/** Cells in a history strip, and durations in a sparkline. */
export const OVERVIEW_LIMITS = { history: 30, durations: 20, pageMax: 200, pageDefault: 100, ids: 100 } as const;

/*
 * The longest `nextCursor` the server writes: base64url of JSON holding the
 * order, the last row's id and its sort key, for names the lower-cased name.
 * A name's code point takes at most 6 bytes there: a control character is
 * escaped as `\u00XX`, and lower-casing (`İ` to `i̇`) or a character outside
 * the BMP (4 bytes) stays below that. The envelope, with a 36-character id,
 * is under 100 bytes.
 */
const CURSOR_ENVELOPE_BYTES = 100;
export const OVERVIEW_CURSOR_MAX_LENGTH = Math.ceil(((CURSOR_ENVELOPE_BYTES + 6 * CHECK_NAME_MAX_LENGTH) * 4) / 3);

export const HistoryCell = Type.Object({ outcome: oneOf(RUN_OUTCOMES), at: Timestamp });

/** One row of the checks list: what it shows, without a request per check. */
export const CheckOverview = Type.Object({
  id: Uuid,
  name: Type.String(),
  slug: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Array(Type.String()),
  status: CheckStatus,
  running: Type.Boolean(),
  period: Type.Union([Type.Integer(), Type.Null()], { description: 'seconds, for a period schedule' }),
  cron: Type.Union([Type.String(), Type.Null()]),
  onCalendar: Type.Union([Type.String(), Type.Null()]),
  tz: Type.String(),
  lastPing: NullableTimestamp,
  nextPing: NullableTimestamp,
  lastDuration: Type.Union([Type.Integer(), Type.Null()], { description: 'milliseconds' }),
  durations: Type.Array(Type.Integer(), {
    description: `milliseconds: the last runs' durations (up to ${OVERVIEW_LIMITS.durations}, among its last 60 pings), oldest first`,
  }),
  history: Type.Array(HistoryCell, { description: `the last ${OVERVIEW_LIMITS.history} outcomes, newest first` }),
  channels: Type.Optional(
    Type.Array(Type.Object({ id: Uuid, name: Type.String() }), { description: 'where it alerts, by name; absent for read-only callers' }),
  ),
  maintenance: Type.Union([CheckInMaintenance, Type.Null()]),
  sortKey: Type.String({ description: 'the row’s value in the sort asked for, as the server orders it (ties by id)' }),
});

const statusFilter = oneOf([...STATUSES, 'running'] as const, { description: 'a status, or running' });

export const CheckOverviewQuery = Type.Object(
  {
    sort: Type.Optional(oneOf(OVERVIEW_SORTS, { description: 'Default: created' })),
    dir: Type.Optional(oneOf(['asc', 'desc'] as const, { description: 'Default: asc' })),
    status: Type.Optional(statusFilter),
    tag: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50, description: 'every tag must match' })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'part of the name or slug' })),
    id: Type.Optional(
      Type.Array(Uuid, {
        maxItems: OVERVIEW_LIMITS.ids,
        description: 'only these checks (those that still match the filters): how a live list refetches the rows that changed',
      }),
    ),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: OVERVIEW_LIMITS.pageMax, description: `Default: ${OVERVIEW_LIMITS.pageDefault}` }),
    ),
    after: Type.Optional(
      Type.String({ minLength: 1, maxLength: OVERVIEW_CURSOR_MAX_LENGTH, description: 'the nextCursor of the previous page' }),
    ),
  },
  { additionalProperties: false },
);

export const CheckOverviewPage = Type.Object({
  checks: Type.Array(CheckOverview),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as after for the next page; null on the last page' }),
  total: Type.Integer({ description: 'checks that match the filters' }),
  summary: StatusSummary,
  tags: Type.Array(Type.String(), { description: 'every tag in use in the project' }),
});

export type HistoryCell = Static<typeof HistoryCell>;
export type CheckOverview = Static<typeof CheckOverview>;
export type CheckOverviewQuery = Static<typeof CheckOverviewQuery>;
export type CheckOverviewPage = Static<typeof CheckOverviewPage>;
