import type { Channel, Check, CheckInput, CronbeatApi } from './api.js';
import type { DeclaredCheck } from './monitors-file.js';

export type SyncChange =
  | { action: 'create'; slug: string; input: CheckInput }
  | { action: 'update'; slug: string; id: string; patch: CheckInput; fields: FieldChange[] }
  | { action: 'unchanged'; slug: string; id: string }
  | { action: 'delete'; slug: string; id: string; name: string };

export interface FieldChange {
  field: keyof CheckInput;
  from: unknown;
  to: unknown;
}

const COMPARED = [
  'name',
  'tags',
  'description',
  'period',
  'cron',
  'tz',
  'grace',
  'maxRuntime',
  'manualResume',
  'alertOnLate',
  'remindEvery',
  'channels',
  'failureThreshold',
  'recoveryThreshold',
  'successKeywords',
  'failureKeywords',
  'earlyTolerance',
  'maxConcurrentRuns',
  'durationAnomaly',
] as const;

/** What the server must do so the project matches the file. Pure: the caller fetches and applies. */
export function planSync(declared: DeclaredCheck[], existing: Check[], channels: Channel[], prune: boolean): SyncChange[] {
  const bySlug = new Map(existing.filter((check) => check.slug).map((check) => [check.slug!, check]));
  const changes: SyncChange[] = declared.map((check) => {
    const input = toInput(check, channels);
    const current = bySlug.get(check.slug);
    if (!current) return { action: 'create', slug: check.slug, input: { name: check.slug, ...input } };
    const fields: FieldChange[] = [];
    for (const field of COMPARED) {
      const to = input[field];
      if (to === undefined) continue;
      const from = field === 'channels' ? [...(current.channels ?? [])].sort() : current[field];
      if (!same(from ?? null, to)) fields.push({ field, from: from ?? null, to });
    }
    // Switching a check from cron to a period (or back) is a schedule change even if the new field is "equal".
    if (input.period !== undefined && current.cron && !fields.some((change) => change.field === 'period')) {
      fields.push({ field: 'period', from: null, to: input.period });
    }
    if (input.cron !== undefined && current.period && !fields.some((change) => change.field === 'cron')) {
      fields.push({ field: 'cron', from: null, to: input.cron });
    }
    // Early tolerance applies to cron only, so a cron check switched to a period by a file that does not
    // mention it drops it; the server would refuse the switch otherwise.
    if (input.period !== undefined && current.cron && input.earlyTolerance === undefined && current.earlyTolerance != null) {
      fields.push({ field: 'earlyTolerance', from: current.earlyTolerance, to: null });
    }
    if (fields.length === 0) return { action: 'unchanged', slug: check.slug, id: current.id };
    const patch = Object.fromEntries(fields.map((change) => [change.field, change.to])) as CheckInput;
    return { action: 'update', slug: check.slug, id: current.id, patch, fields };
  });
  if (prune) {
    const declaredSlugs = new Set(declared.map((check) => check.slug));
    for (const check of existing) {
      if (!check.slug || !declaredSlugs.has(check.slug))
        changes.push({ action: 'delete', slug: check.slug ?? check.id, id: check.id, name: check.name });
    }
  }
  return changes;
}

function toInput(check: DeclaredCheck, channels: Channel[]): CheckInput {
  const { channels: names, ...fields } = check;
  const input: CheckInput = { ...fields };
  if (names === '*') input.channels = channels.map((channel) => channel.id).sort();
  else if (names) {
    input.channels = names
      .map((name) => {
        const channel = channels.find((candidate) => candidate.name === name);
        if (!channel) throw new Error(`${check.slug}: no channel named "${name}"`);
        return channel.id;
      })
      .sort();
  }
  return input;
}

/** Equal as JSON values, whatever the order of their keys (`durationAnomaly` is an object). */
const same = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, inner]) => [key, canonical(inner)]),
  );
}

const show = (value: unknown) => (value === null || value === undefined ? '(none)' : JSON.stringify(value));

/** A readable diff: `+` create, `~` update with each field, `-` delete, and a count of unchanged checks. */
export function formatPlan(changes: SyncChange[]): string {
  const lines: string[] = [];
  for (const change of changes) {
    if (change.action === 'create') {
      lines.push(`+ create ${change.slug}`);
      for (const [field, value] of Object.entries(change.input)) if (field !== 'slug') lines.push(`    ${field}: ${show(value)}`);
    } else if (change.action === 'update') {
      lines.push(`~ update ${change.slug}`);
      for (const field of change.fields) lines.push(`    ${field.field}: ${show(field.from)} → ${show(field.to)}`);
    } else if (change.action === 'delete') lines.push(`- delete ${change.slug} (${change.name})`);
  }
  const count = (action: SyncChange['action']) => changes.filter((change) => change.action === action).length;
  lines.push(`${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ${count('unchanged')} unchanged`);
  return `${lines.join('\n')}\n`;
}

/** Fetches the project's checks (and channels when the file names any), plans and, unless dry, applies. */
export async function syncChecks(api: CronbeatApi, declared: DeclaredCheck[], options: { prune?: boolean; dryRun?: boolean } = {}) {
  const needsChannels = declared.some((check) => check.channels !== undefined);
  const [existing, channels] = await Promise.all([api.listChecks(), needsChannels ? api.listChannels() : Promise.resolve([])]);
  const changes = planSync(declared, existing, channels, options.prune ?? false);
  if (options.dryRun) return changes;
  for (const change of changes) {
    if (change.action === 'create') await api.createCheck(change.input, true);
    else if (change.action === 'update') await api.updateCheck(change.id, change.patch);
    else if (change.action === 'delete') await api.deleteCheck(change.id);
  }
  return changes;
}
