import type { Channel, Check, CheckInput, CronbeatApi } from './api.js';
import { placeOf } from './file-places.js';
import type { DeclaredCheck, MonitorsFile } from './monitors-file.js';
import {
  applyChannelChanges,
  applyChannelDeletions,
  type ChannelChange,
  channelsAfter,
  formatChannelPlan,
  planChannels,
  refuseMissingChannels,
  withCreatedChannels,
} from './sync-channels.js';
import { DeclarationError, knownSlugs, sameJson as same, slugsById } from './sync-references.js';
import { applyWindowChanges, formatWindowPlan, planWindows, type WindowChange } from './sync-windows.js';

/**
 * One check's part of a sync. `dependsOn` (slugs) is set after every
 * check exists, since a check may depend on one the same sync creates;
 * `parentsKept` (ids) are the parents an update keeps meanwhile, so no
 * step of a sync that reverses a dependency makes a cycle.
 */
export type SyncChange =
  | { action: 'create'; slug: string; input: CheckInput; dependsOn?: string[] }
  | { action: 'update'; slug: string; id: string; patch: CheckInput; fields: FieldChange[]; dependsOn?: string[]; parentsKept?: string[] }
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
  'onCalendar',
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
  'startKeywords',
  'earlyTolerance',
  'maxConcurrentRuns',
  'durationAnomaly',
  'methods',
] as const;

/**
 * What the server must do so the project matches the file. Pure: the
 * caller fetches and applies. Throws DeclarationError for a `depends_on`
 * slug that names no check of the file or the server (with `prune`, of the
 * file), and for dependencies that make a cycle.
 */
export function planSync(declared: DeclaredCheck[], existing: Check[], channels: Channel[], prune: boolean): SyncChange[] {
  const bySlug = new Map(existing.filter((check) => check.slug).map((check) => [check.slug!, check]));
  const known = knownSlugs(declared, existing, prune);
  for (const check of declared) {
    check.dependsOn?.forEach((parent, index) => {
      const problem = known.problem(parent);
      if (problem) throw new DeclarationError(`${placeOf(check, `dependsOn.${index}`, `${check.slug}.depends_on`)}: ${problem}`);
    });
  }
  refuseCycles(declared, existing);
  const slugOf = slugsById(existing);
  const changes: SyncChange[] = declared.map((check) => {
    const { dependsOn, ...rest } = check;
    const input = toInput(rest, channels);
    const current = bySlug.get(check.slug);
    if (!current) {
      const change: SyncChange = { action: 'create', slug: check.slug, input: { name: check.slug, ...input } };
      return dependsOn?.length ? { ...change, dependsOn } : change;
    }
    const fields: FieldChange[] = [];
    let parentsKept: string[] | undefined;
    let parentsChange = false;
    if (dependsOn !== undefined) {
      const from = current.dependsOn.map(slugOf).sort();
      const to = [...new Set(dependsOn)].sort();
      if (!same(from, to)) {
        fields.push({ field: 'dependsOn', from, to });
        parentsChange = true;
        const kept = current.dependsOn.filter((id) => to.includes(slugOf(id)));
        if (kept.length < current.dependsOn.length) parentsKept = kept;
      }
    }
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
    if (
      input.period !== undefined &&
      (current.cron || current.onCalendar) &&
      input.earlyTolerance === undefined &&
      current.earlyTolerance != null
    ) {
      fields.push({ field: 'earlyTolerance', from: current.earlyTolerance, to: null });
    }
    if (fields.length === 0) return { action: 'unchanged', slug: check.slug, id: current.id };
    const patch = Object.fromEntries(
      fields.filter((change) => change.field !== 'dependsOn').map((change) => [change.field, change.to]),
    ) as CheckInput;
    const update: SyncChange = { action: 'update', slug: check.slug, id: current.id, patch, fields };
    if (!parentsChange) return update;
    const parents = [...new Set(dependsOn)];
    // Only dropping parents: the first request does it all.
    if (parentsKept && parentsKept.length === parents.length) return { ...update, patch: { ...patch, dependsOn: parentsKept } };
    return { ...update, dependsOn: parents, ...(parentsKept && { parentsKept }) };
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

/**
 * The server refuses a cycle too, but only after the checks before it in
 * the sync were changed; found here, the file's line is named and nothing
 * is sent. Edges: the file's `depends_on`, and the server's for checks
 * whose dependencies the file leaves as they are.
 */
function refuseCycles(declared: DeclaredCheck[], existing: Check[]): void {
  const slugOf = slugsById(existing);
  const parents = new Map<string, string[]>();
  for (const check of existing) if (check.dependsOn.length > 0) parents.set(check.slug ?? check.id, check.dependsOn.map(slugOf));
  const declaring = new Map<string, DeclaredCheck>();
  for (const check of declared) {
    if (check.dependsOn === undefined) continue;
    parents.set(check.slug, check.dependsOn);
    declaring.set(check.slug, check);
  }
  const cycle = findCycle(parents);
  if (!cycle) return;
  // The server's own edges make no cycle, so one of the file's checks is on it: start there.
  const at = cycle.findIndex((slug) => declaring.has(slug));
  const ring = cycle.slice(0, -1);
  const named = [...ring.slice(at), ...ring.slice(0, at), ring[at]!];
  const check = declaring.get(ring[at]!)!;
  const place = placeOf(check, 'dependsOn.0', `${check.slug}.depends_on`).replace(/\[0\]$/, '');
  throw new DeclarationError(`${place}: makes a cycle: ${named.join(' → ')}`);
}

/** A cycle of `parents` as [a, b, …, a], or null: depth first, iterative, so long chains are fine. */
function findCycle(parents: Map<string, string[]>): string[] | null {
  const finished = new Set<string>();
  for (const root of parents.keys()) {
    if (finished.has(root)) continue;
    const path: string[] = [root];
    const onPath = new Set([root]);
    const next: number[] = [0];
    while (path.length > 0) {
      const node = path[path.length - 1]!;
      const edges = parents.get(node) ?? [];
      const index = next[next.length - 1]!;
      if (index >= edges.length) {
        finished.add(node);
        onPath.delete(node);
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = index + 1;
      const parent = edges[index]!;
      if (onPath.has(parent)) return [...path.slice(path.indexOf(parent)), parent];
      if (finished.has(parent)) continue;
      path.push(parent);
      onPath.add(parent);
      next.push(0);
    }
  }
  return null;
}

function toInput(check: Omit<DeclaredCheck, 'dependsOn'>, channels: Channel[]): CheckInput {
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

const show = (value: unknown) => (value === null || value === undefined ? '(none)' : JSON.stringify(value));

/** A readable diff: `+` create, `~` update with each field, `-` delete, and a count of unchanged checks. */
export function formatPlan(changes: SyncChange[]): string {
  const lines: string[] = [];
  for (const change of changes) {
    if (change.action === 'create') {
      lines.push(`+ create ${change.slug}`);
      for (const [field, value] of Object.entries(change.input)) if (field !== 'slug') lines.push(`    ${field}: ${show(value)}`);
      if (change.dependsOn) lines.push(`    dependsOn: ${show(change.dependsOn)}`);
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
  return (await syncMonitors(api, { checks: declared }, options)).checks;
}

/**
 * What a sync did (or, dry, would do): the checks' changes, the windows'
 * when the file has a `maintenance:` list and the channels' when it has a
 * `channels:` list.
 */
export interface SyncResult {
  checks: SyncChange[];
  maintenance: WindowChange[] | null;
  channels: ChannelChange[] | null;
}

/**
 * Makes the project match the file: channels by name when the file has a
 * `channels:` list, checks by slug, then, when the file has a
 * `maintenance:` list, windows by name. Everything is planned, and every
 * mistake the server would find in a reference refused, before anything is
 * sent. Order: channels (which new checks may name), new checks, edits
 * (dropping only the dependencies that go), windows (which may name the new
 * checks), the dependencies that come, and last, with `prune`, deletions.
 */
export async function syncMonitors(api: CronbeatApi, file: MonitorsFile, options: { prune?: boolean; dryRun?: boolean } = {}) {
  const prune = options.prune ?? false;
  const needsChannels = file.channels !== undefined || file.checks.some((check) => check.channels !== undefined);
  const [existing, channels, windows, kinds] = await Promise.all([
    api.listChecks(),
    needsChannels ? api.listChannels() : Promise.resolve([]),
    file.maintenance ? api.listMaintenanceWindows() : Promise.resolve(null),
    file.channels ? api.listChannelKinds() : Promise.resolve([]),
  ]);
  const channelChanges = file.channels ? planChannels(file, channels, kinds, prune) : null;
  const channelsLater = channelChanges ? channelsAfter(channelChanges, channels) : channels;
  if (channelChanges) refuseMissingChannels(file.checks, channelsLater, channels);
  const changes = planSync(file.checks, existing, channelsLater, prune);
  const windowChanges = file.maintenance && windows ? planWindows(file, existing, windows, prune) : null;
  const result: SyncResult = { checks: changes, maintenance: windowChanges, channels: channelChanges };
  if (options.dryRun) return result;
  const createdChannels = channelChanges ? await applyChannelChanges(api, channelChanges) : new Map<string, string>();
  const idBySlug = new Map(existing.flatMap((check) => (check.slug ? [[check.slug, check.id] as const] : [])));
  for (const change of changes) {
    if (change.action === 'create')
      idBySlug.set(change.slug, (await api.createCheck(withCreatedChannels(change.input, createdChannels), true)).id);
    else if (change.action === 'update') {
      const patch = withCreatedChannels(
        change.parentsKept ? { ...change.patch, dependsOn: change.parentsKept } : change.patch,
        createdChannels,
      );
      if (Object.keys(patch).length > 0) await api.updateCheck(change.id, patch);
    }
  }
  if (windowChanges) await applyWindowChanges(api, windowChanges, idBySlug);
  for (const change of changes) {
    if ((change.action !== 'create' && change.action !== 'update') || change.dependsOn === undefined) continue;
    const id = change.action === 'create' ? idBySlug.get(change.slug)! : change.id;
    await api.updateCheck(id, { dependsOn: change.dependsOn.map((slug) => idBySlug.get(slug)!) });
  }
  for (const change of changes) if (change.action === 'delete') await api.deleteCheck(change.id);
  if (channelChanges) await applyChannelDeletions(api, channelChanges);
  return result;
}

export { type ChannelChange, DeclarationError, formatChannelPlan, formatWindowPlan, type WindowChange };
