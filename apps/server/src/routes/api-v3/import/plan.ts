import { type HealthchecksImportedCheck, type HealthchecksImportResult, isUuid, V3CheckSpec } from '@cronbeat/contract';
import { parseGrace, ValidationError } from '@cronbeat/core';
import {
  type Db,
  deleteCheck,
  getCheck,
  listChecks,
  projectHoldingUuid,
  projectWithPingKey,
  rekeyNewCheck,
  scheduleOf,
  setProjectPingKey,
} from '@cronbeat/db';
import { Compile } from 'typebox/compile';
import { Conflict, FieldError } from '../../../errors';
import { addCheck, editCheck, requestedSchedule } from '../../api/checks/edit';
import { HealthchecksError, healthchecksField } from '../errors';
import { patchOf } from '../spec';
import type { HealthchecksCheck, HealthchecksIntegration } from './read-healthchecks';

/** What Healthchecks' API shows of a check, as the create or update it would take: the one mapping /api/v3 also uses. */
function specOf(check: HealthchecksCheck): V3CheckSpec {
  return {
    // Healthchecks allows unnamed checks; Cronbeat names each.
    name: check.name || check.slug || check.uuid,
    slug: check.slug ?? '',
    tags: check.tags ?? '',
    desc: check.desc ?? '',
    grace: check.grace,
    ...(check.schedule !== undefined ? { schedule: check.schedule, tz: check.tz ?? 'UTC' } : { timeout: check.timeout }),
    manual_resume: check.manual_resume ?? false,
    ...(check.methods === 'POST' || check.methods === '' ? { methods: check.methods } : {}),
    success_kw: check.success_kw ?? '',
    failure_kw: check.failure_kw ?? '',
    start_kw: check.start_kw ?? '',
  };
}

const specValidator = Compile(V3CheckSpec);

/** Why a check cannot be imported as it is, in a person's words; null when it can. */
function refusal(error: unknown): string | null {
  if (error instanceof HealthchecksError) return error.message;
  if (error instanceof FieldError || error instanceof ValidationError) return `${healthchecksField(error.field)}: ${error.message}`;
  return null;
}

interface Planned {
  entry: HealthchecksImportedCheck;
  spec: V3CheckSpec;
}

/** What importing would do to each check: update the one with its uuid here, create it, or skip it (with why). */
async function planChecks(db: Db, projectId: string, checks: HealthchecksCheck[]): Promise<Planned[]> {
  const planned: Planned[] = [];
  // A slug is unique in a Cronbeat project (not in Healthchecks'): who holds each, here and among the checks planned so far.
  const slugHolder = new Map((await listChecks(db, projectId)).flatMap((row) => (row.slug ? [[row.slug, row.id] as const] : [])));
  for (const check of checks) {
    const uuid = String(check.uuid).toLowerCase();
    const entry: HealthchecksImportedCheck = { uuid, name: String(check.name ?? ''), slug: String(check.slug ?? ''), action: 'create' };
    const spec = specOf(check);
    // Another server's answer: each field of the type /api/v3 itself would take, or the check is skipped saying which.
    const wrongField = specValidator.Check(spec) ? null : [...specValidator.Errors(spec)][0]?.instancePath.replace(/^\//, '').split('/')[0];
    if (wrongField !== null) {
      planned.push({ entry: { ...entry, action: 'skip', reason: `${wrongField || 'check'}: not as Healthchecks' API v3 gives it` }, spec });
      continue;
    }
    if (!isUuid(uuid)) {
      planned.push({ entry: { ...entry, action: 'skip', reason: 'its uuid is not a UUID' }, spec });
      continue;
    }
    const current = await getCheck(db, projectId, uuid);
    if (current) entry.action = 'update';
    else if (await projectHoldingUuid(db, uuid)) Object.assign(entry, { action: 'skip', reason: 'another check already has this uuid' });
    const holder = entry.slug ? slugHolder.get(entry.slug) : undefined;
    if (entry.action !== 'skip' && holder !== undefined && holder !== uuid) {
      Object.assign(entry, { action: 'skip', reason: `another check here already has the slug ${entry.slug}` });
    }
    if (entry.action !== 'skip') {
      try {
        // The domain's judgement too (a cron expression, a zone, the grace), so an import never stops half-way on one check.
        const patch = patchOf(spec, current);
        requestedSchedule(patch, current && scheduleOf(current));
        if (patch.grace !== undefined) parseGrace(patch.grace);
      } catch (error) {
        const reason = refusal(error);
        if (reason === null) throw error;
        Object.assign(entry, { action: 'skip', reason });
      }
    }
    if (entry.action !== 'skip' && entry.slug) slugHolder.set(entry.slug, uuid);
    planned.push({ entry, spec });
  }
  return planned;
}

/** Makes or updates one check; a new one takes the Healthchecks uuid as id and ping code. */
async function applyCheck(db: Db, projectId: string, { entry, spec }: Planned): Promise<void> {
  const current = entry.action === 'update' ? await getCheck(db, projectId, entry.uuid) : null;
  const patch = patchOf(spec, current);
  if (current) {
    await editCheck(db, projectId, current.id, patch);
  } else {
    // Integrations are recreated by hand, then attached: an imported check alerts nobody until then, as the plan says.
    const made = await addCheck(db, projectId, { ...patch, channels: [] });
    const rekeyed = await rekeyNewCheck(db, projectId, made.id, entry.uuid).catch(async (error: unknown) => {
      await deleteCheck(db, projectId, made.id);
      throw error;
    });
    if (!rekeyed) throw new Error(`imported check ${entry.uuid} vanished before it took its uuid`);
  }
}

export interface ImportInput {
  checks: HealthchecksCheck[];
  integrations: HealthchecksIntegration[];
  pingKey?: string | undefined;
  dryRun: boolean;
}

/**
 * Imports (or with dryRun plans) a Healthchecks project into `projectId`.
 * Idempotent: a check whose uuid is already here is updated, never
 * duplicated. A ping key another project holds is refused before anything
 * is written.
 */
export async function importHealthchecksProject(db: Db, projectId: string, input: ImportInput): Promise<HealthchecksImportResult> {
  if (input.pingKey !== undefined) {
    const holder = await projectWithPingKey(db, input.pingKey);
    if (holder !== null && holder !== projectId) throw new Conflict('pingKey: another project already has this ping key');
  }
  const planned = await planChecks(db, projectId, input.checks);
  if (!input.dryRun) {
    for (const item of planned) if (item.entry.action !== 'skip') await applyCheck(db, projectId, item);
    if (input.pingKey !== undefined) await setProjectPingKey(db, projectId, input.pingKey);
  }
  return {
    dryRun: input.dryRun,
    checks: planned.map((item) => item.entry),
    pingKey: input.pingKey === undefined ? 'not given' : 'set',
    integrations: input.integrations,
  };
}
