import type { Check, CronbeatApi, MaintenanceWindow, MaintenanceWindowChanges, MaintenanceWindowInput } from './api.js';
import { placeOf } from './file-places.js';
import type { DeclaredWindow } from './maintenance-file.js';
import type { MonitorsFile } from './monitors-file.js';
import { DeclarationError, knownSlugs, slugsById } from './sync-references.js';

/** One maintenance window's part of a sync; windows are matched by name, and covered checks named by slug. */
export type WindowChange =
  | { action: 'create'; name: string; window: DeclaredWindow }
  | { action: 'update'; name: string; id: string; window: DeclaredWindow; fields: WindowFieldChange[] }
  | { action: 'unchanged'; name: string; id: string }
  | { action: 'delete'; name: string; id: string };

export interface WindowFieldChange {
  field: 'kind' | 'startsAt' | 'endsAt' | 'cron' | 'tz' | 'duration' | 'covers' | 'tags' | 'checks';
  from: unknown;
  to: unknown;
}

const WHEN_FIELDS = ['kind', 'startsAt', 'endsAt', 'cron', 'tz', 'duration'] as const;
const COVER_FIELDS = ['covers', 'tags', 'checks'] as const;

/** A window's fields as the plan compares them: times as instants, lists sorted, checks by slug. */
function comparable(window: DeclaredWindow): Record<WindowFieldChange['field'], unknown> {
  const { schedule, covers } = window;
  return {
    kind: schedule.kind,
    startsAt: schedule.kind === 'once' ? schedule.startsAt : null,
    endsAt: schedule.kind === 'once' ? schedule.endsAt : null,
    cron: schedule.kind === 'recurring' ? schedule.cron : null,
    tz: schedule.kind === 'recurring' ? schedule.tz : null,
    duration: schedule.kind === 'recurring' ? schedule.duration : null,
    covers: covers.kind,
    tags: covers.kind === 'tags' ? [...new Set(covers.tags)].sort() : [],
    checks: covers.kind === 'checks' ? [...new Set(covers.slugs)].sort() : [],
  };
}

function storedComparable(window: MaintenanceWindow, slugOf: (id: string) => string): Record<WindowFieldChange['field'], unknown> {
  const instant = (text: string | undefined) => (text === undefined ? null : new Date(text).toISOString());
  return {
    kind: window.kind,
    startsAt: instant(window.startsAt),
    endsAt: instant(window.endsAt),
    cron: window.cron ?? null,
    tz: window.tz ?? null,
    duration: window.duration ?? null,
    covers: window.covers,
    tags: [...window.tags].sort(),
    checks: window.checks.map(slugOf).sort(),
  };
}

/**
 * What the server must do so the project's windows match the file's
 * `maintenance:` list, as sync does for checks: missing ones are created,
 * changed ones updated, and with `prune` the others deleted. Of several
 * windows of one name on the server, the oldest is the file's. Throws
 * DeclarationError for a covered slug that names no check.
 */
export function planWindows(file: MonitorsFile, existing: Check[], windows: MaintenanceWindow[], prune: boolean): WindowChange[] {
  const known = knownSlugs(file.checks, existing, prune);
  const slugOf = slugsById(existing);
  const byName = new Map<string, MaintenanceWindow>();
  for (const window of windows) if (!byName.has(window.name)) byName.set(window.name, window);
  const declared = file.maintenance ?? [];
  const changes: WindowChange[] = declared.map((window) => {
    if (window.covers.kind === 'checks') {
      window.covers.slugs.forEach((slug, index) => {
        const problem = known.problem(slug);
        if (problem) throw new DeclarationError(`${placeOf(window, `checks.${index}`, `maintenance (${window.name}).checks`)}: ${problem}`);
      });
    }
    const current = byName.get(window.name);
    if (!current) return { action: 'create', name: window.name, window };
    const from = storedComparable(current, slugOf);
    const to = comparable(window);
    const fields = [...WHEN_FIELDS, ...COVER_FIELDS]
      .filter((field) => JSON.stringify(from[field]) !== JSON.stringify(to[field]))
      .map((field) => ({ field, from: from[field], to: to[field] }));
    if (fields.length === 0) return { action: 'unchanged', name: window.name, id: current.id };
    return { action: 'update', name: window.name, id: current.id, window, fields };
  });
  if (prune) {
    const names = new Set(declared.map((window) => window.name));
    const matched = new Set([...byName.values()].map((window) => window.id));
    for (const window of windows) {
      if (!names.has(window.name) || !matched.has(window.id)) changes.push({ action: 'delete', name: window.name, id: window.id });
    }
  }
  return changes;
}

/** The API's body for a declared window; `idBySlug` knows the checks this sync created. */
function bodyOf(window: DeclaredWindow, idBySlug: Map<string, string>): MaintenanceWindowInput {
  const { schedule, covers } = window;
  return {
    name: window.name,
    ...(schedule.kind === 'once'
      ? { kind: 'once', startsAt: schedule.startsAt, endsAt: schedule.endsAt }
      : { kind: 'recurring', cron: schedule.cron, tz: schedule.tz, duration: schedule.duration }),
    covers: covers.kind,
    ...(covers.kind === 'tags' && { tags: covers.tags }),
    ...(covers.kind === 'checks' && { checks: covers.slugs.map((slug) => idBySlug.get(slug)!) }),
  };
}

/**
 * Sends only the changed part of a window: new times replan it (and undo
 * an early end), so a window whose coverage alone changed keeps its end.
 */
function changesOf(change: Extract<WindowChange, { action: 'update' }>, idBySlug: Map<string, string>): MaintenanceWindowChanges {
  const { name: _name, kind, startsAt, endsAt, cron, tz, duration, covers, tags, checks } = bodyOf(change.window, idBySlug);
  const changed = (fields: readonly string[]) => change.fields.some((field) => fields.includes(field.field));
  return {
    ...(changed(WHEN_FIELDS) && (kind === 'once' ? { kind, startsAt, endsAt } : { kind, cron, tz, duration })),
    ...(changed(COVER_FIELDS) && { covers, ...(tags && { tags }), ...(checks && { checks }) }),
  };
}

export async function applyWindowChanges(api: CronbeatApi, changes: WindowChange[], idBySlug: Map<string, string>): Promise<void> {
  for (const change of changes) {
    if (change.action === 'create') await api.createMaintenanceWindow(bodyOf(change.window, idBySlug));
    else if (change.action === 'update') await api.updateMaintenanceWindow(change.id, changesOf(change, idBySlug));
    else if (change.action === 'delete') await api.deleteMaintenanceWindow(change.id);
  }
}

const show = (value: unknown) => (value === null || value === undefined ? '(none)' : JSON.stringify(value));

/** The windows' part of the plan, as `formatPlan` writes the checks'. */
export function formatWindowPlan(changes: WindowChange[]): string {
  const lines: string[] = [];
  for (const change of changes) {
    if (change.action === 'create') {
      lines.push(`+ create maintenance window ${JSON.stringify(change.name)}`);
      for (const [field, value] of Object.entries(comparable(change.window))) {
        if (value !== null && !(Array.isArray(value) && value.length === 0)) lines.push(`    ${field}: ${show(value)}`);
      }
    } else if (change.action === 'update') {
      lines.push(`~ update maintenance window ${JSON.stringify(change.name)}`);
      for (const field of change.fields) lines.push(`    ${field.field}: ${show(field.from)} → ${show(field.to)}`);
    } else if (change.action === 'delete') lines.push(`- delete maintenance window ${JSON.stringify(change.name)}`);
  }
  const count = (action: WindowChange['action']) => changes.filter((change) => change.action === action).length;
  lines.push(
    `maintenance windows: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ${count('unchanged')} unchanged`,
  );
  return `${lines.join('\n')}\n`;
}
