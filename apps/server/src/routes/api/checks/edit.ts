import type { CheckCreate, CheckPatch } from '@cronbeat/contract';
import { DEFAULT_RUN_POLICY, parseGrace, parseMaxRuntime, parseSchedule, type Schedule } from '@cronbeat/core';
import {
  type CheckRow,
  createCheck,
  type Db,
  deadlinesAfterEdit,
  findCheckBy,
  foreignChannelIds,
  getProject,
  isUniqueViolation,
  lockCheck,
  lockDependencies,
  runPolicyColumns,
  runPolicyOf,
  scheduleColumns,
  scheduleOf,
  setCheckChannels,
  updateCheck,
} from '@cronbeat/db';
import { Conflict, FieldError, NotFound } from '../../../errors';
import { writeParents } from './dependencies';
import { requestedRunPolicy } from './policy';

type Patch = CheckPatch;

const SCHEDULE_FIELDS = ['period', 'cron', 'onCalendar'] as const;

/**
 * The schedule a create or edit asks for, validated by the domain. `current`
 * is the check being edited: `tz` alone re-zones its cron or OnCalendar
 * expressions, and a new expression keeps the zone the check had.
 */
export function requestedSchedule(input: Pick<Patch, 'period' | 'cron' | 'onCalendar' | 'tz'>, current: Schedule | null): Schedule | null {
  const given = SCHEDULE_FIELDS.filter((field) => input[field] !== undefined);
  if (given.length > 1) {
    throw new FieldError(given[0]!, `give either period or cron or onCalendar (with tz), not ${given.join(' and ')}`);
  }
  const currentTz = current && current.kind !== 'period' ? current.tz : 'UTC';
  if (input.period !== undefined) {
    if (input.tz !== undefined) throw new FieldError('tz', 'tz only applies to cron and onCalendar schedules, not to period');
    return parseSchedule({ period: input.period });
  }
  if (input.cron !== undefined) return parseSchedule({ cron: input.cron, tz: input.tz ?? currentTz });
  if (input.onCalendar !== undefined) return parseSchedule({ onCalendar: input.onCalendar, tz: input.tz ?? currentTz });
  if (input.tz !== undefined) {
    if (current === null || current.kind === 'period')
      throw new FieldError('tz', 'tz only applies to cron and onCalendar schedules; give cron too, or onCalendar');
    return parseSchedule(current.kind === 'cron' ? { cron: current.cron, tz: input.tz } : { onCalendar: current.onCalendar, tz: input.tz });
  }
  return null;
}

async function assertOwnChannels(db: Db, projectId: string, channels: Patch['channels']): Promise<void> {
  if (channels === undefined || channels === '*') return;
  const [foreign] = await foreignChannelIds(db, projectId, channels);
  if (foreign) throw new FieldError('channels', `no channel ${foreign} in this project`);
}

/** Turns a unique violation into a 409 that names the slug. */
async function slugChecked<T>(slug: string | null | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`slug: "${slug}" is already used by another check in this project`);
    throw error;
  }
}

export async function addCheck(db: Db, projectId: string, input: CheckCreate): Promise<CheckRow> {
  const project = await getProject(db, projectId);
  if (!project) throw new NotFound('Project');
  const schedule = requestedSchedule(input, null) ?? { kind: 'period', period: project.defaultPeriod };
  const grace = parseGrace(input.grace ?? project.defaultGrace);
  const maxRuntime = parseMaxRuntime(input.maxRuntime ?? null);
  const runPolicy = requestedRunPolicy(input, DEFAULT_RUN_POLICY, schedule);
  await assertOwnChannels(db, projectId, input.channels);
  return slugChecked(input.slug, () =>
    db.transaction(async (tx) => {
      if (input.dependsOn?.length) await lockDependencies(tx, projectId);
      const check = await createCheck(tx, {
        projectId,
        name: input.name ?? input.slug ?? 'New check',
        slug: input.slug ?? null,
        tags: input.tags ?? [],
        description: input.description ?? '',
        schedule,
        grace,
        maxRuntime,
        manualResume: input.manualResume ?? false,
        methods: input.methods ?? '',
        alertOnLate: input.alertOnLate ?? false,
        remindEvery: input.remindEvery ?? null,
        runPolicy,
      });
      // A check nobody said where to alert alerts everywhere its project does: never silently nobody. `[]` opts out.
      await setCheckChannels(tx, check, input.channels ?? '*');
      if (input.dependsOn?.length) await writeParents(tx, projectId, check.id, input.dependsOn);
      return check;
    }),
  );
}

/** Edits a check of `projectId`, recomputing its deadlines when the schedule or grace changed. */
export async function editCheck(db: Db, projectId: string, id: string, input: Patch): Promise<CheckRow> {
  const grace = input.grace === undefined ? undefined : parseGrace(input.grace);
  const maxRuntime = input.maxRuntime === undefined ? undefined : parseMaxRuntime(input.maxRuntime);
  await assertOwnChannels(db, projectId, input.channels);
  return slugChecked(input.slug, () =>
    db.transaction(async (tx) => {
      // Before the check's own lock: see lockDependencies.
      if (input.dependsOn !== undefined) await lockDependencies(tx, projectId);
      const current = await lockCheck(tx, projectId, id);
      if (!current) throw new NotFound('Check');
      const schedule = requestedSchedule(input, scheduleOf(current));
      const runPolicy = requestedRunPolicy(input, runPolicyOf(current), schedule ?? scheduleOf(current));
      const edited: CheckRow = {
        ...current,
        ...definedOnly({ name: input.name, slug: input.slug, tags: input.tags, description: input.description, grace, maxRuntime }),
        ...(input.manualResume !== undefined && { manualResume: input.manualResume }),
        ...(input.methods !== undefined && { methods: input.methods }),
        ...(input.alertOnLate !== undefined && { alertOnLate: input.alertOnLate }),
        ...(input.remindEvery !== undefined && { remindEvery: input.remindEvery }),
        ...(schedule && scheduleColumns(schedule)),
        ...runPolicyColumns(runPolicy),
      };
      // The run record is the ping path's and the sweep's: an edit of settings does not write it back.
      const { projectId: _p, id: _id, createdAt: _c, runRecord: _r, ...columns } = edited;
      const row = await updateCheck(tx, projectId, id, { ...columns, ...deadlinesAfterEdit(edited) });
      if (!row) throw new NotFound('Check');
      if (input.channels !== undefined) await setCheckChannels(tx, row, input.channels);
      if (input.dependsOn !== undefined) await writeParents(tx, projectId, row.id, input.dependsOn);
      return row;
    }),
  );
}

/** `POST /checks` with `unique`: edit the matching check (200) or create one (201). */
export async function upsertCheck(db: Db, projectId: string, input: CheckCreate): Promise<{ check: CheckRow; created: boolean }> {
  const field = input.unique?.[0];
  if (!field) return { check: await addCheck(db, projectId, input), created: true };
  const value = input[field];
  if (value === undefined || value === null) throw new FieldError('unique', `unique names ${field}, so ${field} must be given`);
  const match = await findCheckBy(db, projectId, field, value);
  if (!match) return { check: await addCheck(db, projectId, input), created: true };
  const { unique: _unique, ...patch } = input;
  return { check: await editCheck(db, projectId, match.id, patch), created: false };
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
