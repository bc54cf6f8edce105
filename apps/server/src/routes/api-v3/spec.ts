import { CheckPatch, type V3CheckSpec } from '@cronbeat/contract';
import { parseTimeZone } from '@cronbeat/core';
import { type CheckRow, type Db, listChannels, listChecks } from '@cronbeat/db';
import { Compile } from 'typebox/compile';
import { FieldError } from '../../errors';
import { HealthchecksError, healthchecksField } from './errors';

const isCron = (schedule: string) => !schedule.trim().includes('\n') && schedule.trim().split(/\s+/).length === 5;

const words = (text: string, separator: RegExp) =>
  text
    .split(separator)
    .map((word) => word.trim())
    .filter(Boolean);

const tagsOf = (tags: string) => words(tags, /\s+/);

const patchValidator = Compile(CheckPatch);

/**
 * A Healthchecks create or update as Cronbeat's own edit (`CheckPatch`),
 * judged by the same rules as /api/v1 so no rule lives twice; a 400 names
 * the field as Healthchecks calls it. `current` is the check being updated
 * (null for a new one): a `tz` alone re-zones its cron or OnCalendar schedule, and means
 * nothing for a period schedule (Healthchecks stores it and ignores it).
 * Channels are resolved apart (`channelsOf`), as they need the database.
 */
export function patchOf(spec: V3CheckSpec, current: CheckRow | null): CheckPatch {
  if (spec.filter_default_fail) throw new FieldError('filter_default_fail', 'Cronbeat does not fail pings without a keyword');
  const patch: CheckPatch = {};
  if (spec.name !== undefined) patch.name = spec.name;
  if (spec.slug !== undefined) patch.slug = spec.slug === '' ? null : spec.slug;
  if (spec.tags !== undefined) patch.tags = tagsOf(spec.tags);
  if (spec.desc !== undefined) patch.description = spec.desc;
  if (spec.grace !== undefined) patch.grace = spec.grace;
  if (spec.manual_resume !== undefined) patch.manualResume = spec.manual_resume;
  if (spec.methods !== undefined) patch.methods = spec.methods;
  if (spec.schedule !== undefined) {
    // Healthchecks' guess of the kind: one line of five fields is cron, anything else OnCalendar.
    if (isCron(spec.schedule)) patch.cron = spec.schedule.trim();
    else patch.onCalendar = spec.schedule;
    if (spec.tz !== undefined) patch.tz = spec.tz;
  } else if (spec.timeout !== undefined) {
    patch.period = spec.timeout;
  } else if (spec.tz !== undefined && (current?.cron != null || current?.onCalendar != null)) {
    patch.tz = spec.tz;
  } else if (spec.tz !== undefined) {
    // Not used by a period schedule, but a wrong zone is still refused, as Healthchecks does.
    parseTimeZone(spec.tz);
  }
  const success = spec.success_kw ?? spec.subject;
  const failure = spec.failure_kw ?? spec.subject_fail;
  if (success !== undefined) patch.successKeywords = words(success, /,/);
  if (failure !== undefined) patch.failureKeywords = words(failure, /,/);
  if (spec.start_kw !== undefined) patch.startKeywords = words(spec.start_kw, /,/);
  if (!patchValidator.Check(patch)) {
    const [issue] = patchValidator.Errors(patch);
    const field = healthchecksField((issue?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.')) || 'body';
    throw new HealthchecksError(400, `json validation error: ${field} ${issue?.message ?? 'is not valid'}`);
  }
  return patch;
}

/**
 * Healthchecks' `channels`: "*" every channel, "" none, or a comma-separated
 * list of channel ids or names (each naming exactly one channel of the
 * project). Undefined leaves them as they are.
 */
export async function channelsOf(db: Db, projectId: string, channels: string | undefined): Promise<string[] | '*' | undefined> {
  if (channels === undefined || channels === '*') return channels;
  if (channels === '') return [];
  const available = await listChannels(db, projectId);
  const ids = new Set<string>();
  for (const wanted of channels.split(',')) {
    if (wanted === '') throw new HealthchecksError(400, 'empty channel identifier');
    const matches = available.filter((channel) => channel.id === wanted || channel.name === wanted);
    if (matches.length === 0) throw new HealthchecksError(400, `invalid channel identifier: ${wanted}`);
    if (matches.length > 1) throw new HealthchecksError(400, `non-unique channel identifier: ${wanted}`);
    ids.add(matches[0]!.id);
  }
  return [...ids];
}

/**
 * The check a create with `unique` updates: the oldest whose every named
 * field equals the request's. None when a named field is not in the request,
 * as in Healthchecks (the create then makes a new check).
 */
export async function uniqueMatch(db: Db, projectId: string, spec: V3CheckSpec): Promise<CheckRow | null> {
  const fields = spec.unique ?? [];
  if (fields.length === 0 || fields.some((field) => spec[field] === undefined)) return null;
  const equal: Record<(typeof fields)[number], (row: CheckRow) => boolean> = {
    name: (row) => row.name === spec.name,
    slug: (row) => (row.slug ?? '') === spec.slug,
    tags: (row) => row.tags.join(' ') === tagsOf(spec.tags ?? '').join(' '),
    timeout: (row) => row.period === spec.timeout,
    grace: (row) => row.grace === spec.grace,
  };
  const rows = await listChecks(db, projectId);
  return rows.find((row) => fields.every((field) => equal[field](row))) ?? null;
}
