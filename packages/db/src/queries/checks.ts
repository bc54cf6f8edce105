import { type CheckState, DEFAULT_RUN_POLICY, type Flip, type RunPolicy, type Schedule, sweepDue, withDeadlines } from '@cronbeat/core';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { durationAnomalyFromJson, flipRunsToJson, runRecordFromJson, runRecordToJson } from '../run-record';
import { checks } from '../schema';

export type CheckRow = typeof checks.$inferSelect;

/** The schedule a stored check follows (the table holds exactly one of period, cron and oncalendar). */
export const scheduleOf = (row: Pick<CheckRow, 'period' | 'cron' | 'onCalendar' | 'tz'>): Schedule => {
  if (row.cron !== null) return { kind: 'cron', cron: row.cron, tz: row.tz };
  if (row.onCalendar !== null) return { kind: 'oncalendar', onCalendar: row.onCalendar, tz: row.tz };
  return { kind: 'period', period: row.period ?? 0 };
};

/** The columns that store a schedule. */
export function scheduleColumns(schedule: Schedule): Pick<CheckRow, 'period' | 'cron' | 'onCalendar' | 'tz'> {
  switch (schedule.kind) {
    case 'cron':
      return { period: null, cron: schedule.cron, onCalendar: null, tz: schedule.tz };
    case 'oncalendar':
      return { period: null, cron: null, onCalendar: schedule.onCalendar, tz: schedule.tz };
    case 'period':
      return { period: schedule.period, cron: null, onCalendar: null, tz: 'UTC' };
  }
}

/** The alert policy settings of a stored check. */
export const runPolicyOf = (
  row: Pick<
    CheckRow,
    | 'failureThreshold'
    | 'recoveryThreshold'
    | 'successKeywords'
    | 'failureKeywords'
    | 'startKeywords'
    | 'earlyTolerance'
    | 'maxConcurrentRuns'
    | 'durationAnomaly'
  >,
): RunPolicy => ({
  failureThreshold: row.failureThreshold,
  recoveryThreshold: row.recoveryThreshold,
  successKeywords: row.successKeywords,
  failureKeywords: row.failureKeywords,
  startKeywords: row.startKeywords,
  earlyTolerance: row.earlyTolerance,
  maxConcurrentRuns: row.maxConcurrentRuns,
  durationAnomaly: durationAnomalyFromJson(row.durationAnomaly),
});

/** The columns that store alert policy settings (the duration anomaly as the API's JSON, which is core's shape). */
export const runPolicyColumns = (policy: RunPolicy) => ({
  failureThreshold: policy.failureThreshold,
  recoveryThreshold: policy.recoveryThreshold,
  successKeywords: [...policy.successKeywords],
  failureKeywords: [...policy.failureKeywords],
  startKeywords: [...policy.startKeywords],
  earlyTolerance: policy.earlyTolerance,
  maxConcurrentRuns: policy.maxConcurrentRuns,
  durationAnomaly: policy.durationAnomaly,
});

/** The columns a domain decision reads. */
export type CheckStateRow = Pick<
  CheckRow,
  | 'status'
  | 'period'
  | 'cron'
  | 'onCalendar'
  | 'tz'
  | 'grace'
  | 'maxRuntime'
  | 'manualResume'
  | 'lastPing'
  | 'lastStart'
  | 'lastStartRid'
  | 'lastDuration'
  | 'nextDue'
  | 'alertAfter'
  | 'failureThreshold'
  | 'recoveryThreshold'
  | 'successKeywords'
  | 'failureKeywords'
  | 'startKeywords'
  | 'earlyTolerance'
  | 'maxConcurrentRuns'
  | 'durationAnomaly'
  | 'runRecord'
>;

/** What the domain needs of a stored check. */
export const toCheckState = (row: CheckStateRow): CheckState => ({
  status: row.status,
  schedule: scheduleOf(row),
  grace: row.grace,
  maxRuntime: row.maxRuntime,
  manualResume: row.manualResume,
  lastPing: row.lastPing,
  lastStart: row.lastStart,
  lastStartRid: row.lastStartRid,
  lastDuration: row.lastDuration,
  nextDue: row.nextDue,
  alertAfter: row.alertAfter,
  policy: runPolicyOf(row),
  record: runRecordFromJson(row.runRecord),
});

/** A state's deadlines, and when the sweep must look at the check next. */
const deadlineColumns = (state: CheckState) => ({ nextDue: state.nextDue, alertAfter: state.alertAfter, sweepAt: sweepDue(state) });

/** The run-state columns a domain decision changes, deadlines included. */
export const runStateColumns = (state: CheckState) => ({
  status: state.status,
  lastPing: state.lastPing,
  lastStart: state.lastStart,
  lastStartRid: state.lastStartRid,
  lastDuration: state.lastDuration,
  runRecord: runRecordToJson(state.record),
  ...deadlineColumns(state),
});

/** The flips row that records a domain flip of check `checkId`. */
export const flipColumns = (checkId: string, flip: Flip) => ({
  checkId,
  createdAt: flip.at,
  fromStatus: flip.from,
  toStatus: flip.to,
  reason: flip.reason,
  exitStatus: flip.exitStatus,
  runs: flipRunsToJson(flip.runs),
});

export interface NewCheck {
  projectId: string;
  name: string;
  slug?: string | null;
  tags?: string[];
  description?: string;
  /** Already validated by the domain (`parseSchedule`). */
  schedule: Schedule;
  grace: number;
  maxRuntime?: number | null;
  manualResume?: boolean;
  /** Which methods ping: '' any (the default), 'POST' only POST. */
  methods?: CheckRow['methods'];
  /** Alert on turning late, not only on going down. */
  alertOnLate?: boolean;
  /** Seconds between reminders while down; null or absent: none. */
  remindEvery?: number | null;
  /** Alert policy settings, already checked across fields; absent: core's defaults. */
  runPolicy?: RunPolicy;
}

export async function createCheck(db: Db, input: NewCheck): Promise<CheckRow> {
  const [row] = await db
    .insert(checks)
    .values({
      projectId: input.projectId,
      name: input.name,
      slug: input.slug ?? null,
      tags: input.tags ?? [],
      description: input.description ?? '',
      ...scheduleColumns(input.schedule),
      grace: input.grace,
      maxRuntime: input.maxRuntime ?? null,
      manualResume: input.manualResume ?? false,
      methods: input.methods ?? '',
      alertOnLate: input.alertOnLate ?? false,
      remindEvery: input.remindEvery ?? null,
      ...runPolicyColumns(input.runPolicy ?? DEFAULT_RUN_POLICY),
    })
    .returning();
  if (!row) throw new Error('insert into checks returned no row');
  return row;
}

/** A check, only if it belongs to `projectId` (tenant scoping). */
export async function getCheck(db: Db, projectId: string, id: string): Promise<CheckRow | null> {
  const [row] = await db
    .select()
    .from(checks)
    .where(and(eq(checks.projectId, projectId), eq(checks.id, id)));
  return row ?? null;
}

/**
 * Recomputes a check's deadlines after an edit. A down check with reminders
 * gets its reminders looked at now (`remind_at`): the sweep then sets the
 * next one from `remind_every` as it now is.
 */
export const deadlinesAfterEdit = (row: CheckRow) => ({
  ...deadlineColumns(withDeadlines(toCheckState(row))),
  remindAt: row.status === 'down' && row.remindEvery !== null ? new Date() : null,
});
