import type { MaintenanceWindowCreate, MaintenanceWindowPatch } from '@cronbeat/contract';
import { type MaintenanceWindowInput, type MaintenanceWindowSpec, parseMaintenanceWindow, type WindowCoverage } from '@cronbeat/core';
import { type Db, foreignCheckIds, type MaintenanceWindowRow } from '@cronbeat/db';
import { FieldError } from '../../../errors';

type WindowBody = MaintenanceWindowCreate | MaintenanceWindowPatch;

const ONCE_FIELDS = ['startsAt', 'endsAt'] as const;
const RECURRING_FIELDS = ['cron', 'tz', 'duration'] as const;
/** Fields that say when a window is open: changing any of them makes a new plan, which an early end no longer cuts. */
export const TIME_FIELDS = ['kind', ...ONCE_FIELDS, ...RECURRING_FIELDS] as const;

/**
 * A window as the request asks for it, on top of the stored one for an
 * edit, validated by core; check ids must be the project's. Throws
 * FieldError or core's ValidationError, each naming the field.
 */
export async function windowSpecOf(
  db: Db,
  projectId: string,
  body: WindowBody,
  current: MaintenanceWindowRow | null,
): Promise<MaintenanceWindowSpec> {
  const spec = parseMaintenanceWindow(windowInput(body, current));
  if (body.checks && spec.coverage.kind === 'checks') {
    const [foreign] = await foreignCheckIds(db, projectId, spec.coverage.checkIds);
    if (foreign !== undefined) throw new FieldError('checks', `${foreign} is not a check of this project`);
  }
  return spec;
}

function windowInput(body: WindowBody, current: MaintenanceWindowRow | null): MaintenanceWindowInput {
  const name = body.name ?? current?.name;
  const kind = body.kind ?? current?.kind;
  if (name === undefined) throw new FieldError('name', 'is required');
  if (kind === undefined) throw new FieldError('kind', 'is required');
  const coverage = coverageOf(body, current);
  // Stored values of the other kind are dropped when an edit switches kinds.
  const kept = current?.kind === kind ? current : null;
  if (kind === 'once') {
    refuseFields(body, RECURRING_FIELDS, 'only for recurring windows');
    return { name, coverage, kind, startsAt: dateOf(body, kept, 'startsAt'), endsAt: dateOf(body, kept, 'endsAt') };
  }
  refuseFields(body, ONCE_FIELDS, 'only for one-off windows (kind "once")');
  const cron = body.cron ?? kept?.cron;
  const duration = body.duration ?? kept?.duration;
  if (cron == null) throw new FieldError('cron', 'is required for a recurring window');
  if (duration == null) throw new FieldError('duration', 'is required for a recurring window: seconds each occurrence lasts');
  return { name, coverage, kind, cron, tz: body.tz ?? kept?.tz ?? 'UTC', duration };
}

function coverageOf(body: WindowBody, current: MaintenanceWindowRow | null): WindowCoverage {
  const tagsGiven = body.tags !== undefined && body.tags.length > 0;
  const checksGiven = body.checks !== undefined && body.checks.length > 0;
  if (!body.covers && tagsGiven && checksGiven) throw new FieldError('covers', 'is required when both tags and checks are given');
  const covers = body.covers ?? (tagsGiven ? 'tags' : checksGiven ? 'checks' : (current?.coverage ?? 'project'));
  if (covers !== 'tags' && tagsGiven) throw new FieldError('tags', `only with covers "tags" (this window covers ${covers})`);
  if (covers !== 'checks' && checksGiven) throw new FieldError('checks', `only with covers "checks" (this window covers ${covers})`);
  if (covers === 'project') return { kind: 'project' };
  if (covers === 'tags') return { kind: 'tags', tags: body.tags ?? (current?.coverage === 'tags' ? current.tags : []) };
  return { kind: 'checks', checkIds: body.checks ?? (current?.coverage === 'checks' ? current.checkIds : []) };
}

function refuseFields(body: WindowBody, fields: readonly (keyof WindowBody)[], why: string): void {
  const given = fields.find((field) => body[field] !== undefined);
  if (given !== undefined) throw new FieldError(given, why);
}

function dateOf(body: WindowBody, kept: MaintenanceWindowRow | null, field: 'startsAt' | 'endsAt'): Date {
  const given = body[field];
  if (given !== undefined) return new Date(given);
  const stored = kept?.[field];
  if (!stored) throw new FieldError(field, 'is required for a one-off window');
  return stored;
}
