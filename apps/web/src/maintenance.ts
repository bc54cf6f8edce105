/**
 * Maintenance windows as the dashboard shows and edits them: times in the
 * browser's locale (and, for recurring windows, the window's own zone, in
 * which its cron expression is read), and the editor's draft to and from
 * the API's window.
 */
import { parseDuration } from 'cronbeat/duration';
import { DURATION_EXAMPLES } from './durations';
import { describeCron } from './schedule';
import { browserZone, formatInstant, formatSoon } from './time';
import type { MaintenanceWindow, MaintenanceWindowInput } from './types';

/** A recurring window's occurrence: 1 minute … 7 days (core's limits). */
export const WINDOW_DURATION = { min: 60, max: 7 * 86_400 } as const;

/** "Thu 24 Dec 2026, 22:00 Europe/Berlin" in the browser's locale, in `tz` and naming it (default: the browser's zone, unnamed). */
export function windowTime(iso: string, tz?: string): string {
  return formatInstant(iso, { weekday: true, ...(tz && { zone: tz }) });
}

/** When a window ends, for "until 04:00": the time of day when it is today (in the browser's zone), else the date too. */
export const untilTime = (iso: string, now: number = Date.now()): string => formatSoon(iso, now);

/** The zone a window's times are shown in: its own for a recurring window, the browser's for a one-off one. */
export const zoneOfWindow = (window: Pick<MaintenanceWindow, 'kind' | 'tz'>): string =>
  window.kind === 'recurring' && window.tz ? window.tz : browserZone();

/** "Thu 24 Dec 2026, 22:00 – Fri 25 Dec 2026, 02:00 (Europe/Berlin)". */
export function spanText(span: { start: string; end: string }, tz: string): string {
  const at = (iso: string) => formatInstant(iso, { weekday: true, zone: tz, nameZone: false });
  return `${at(span.start)} – ${at(span.end)} (${tz})`;
}

/** When a window is open, in words: "Once" or "At 02:00, only on Sunday, Europe/Berlin, for 2 h". */
export function describeWindow(window: MaintenanceWindow): string {
  if (window.kind === 'once') return 'One-off';
  const described = window.cron ? describeCron(window.cron) : { error: '' };
  const words = 'words' in described ? described.words : (window.cron ?? '');
  return `${words}, ${window.tz ?? 'UTC'}, for ${lasting(window.duration ?? 0)}`;
}

function lasting(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
  ] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count} ${unit}`);
  }
  return parts.join(' ') || `${seconds} s`;
}

/** What a window covers, in words; checks named when the dashboard knows them. */
export function describeCoverage(window: MaintenanceWindow, checkName: (id: string) => string): string {
  if (window.covers === 'project') return 'Every check of the project';
  if (window.covers === 'tags') return `Checks tagged ${window.tags.join(', ')}`;
  return `Checks: ${window.checks.map(checkName).join(', ')}`;
}

/** The editor's fields, as typed. */
export interface WindowDraft {
  name: string;
  kind: 'once' | 'recurring';
  /** `datetime-local` values, in the browser's zone. */
  startsAt: string;
  endsAt: string;
  cron: string;
  tz: string;
  /** As typed: `2h`. */
  duration: string;
  covers: 'project' | 'tags' | 'checks';
  /** Separated by spaces or commas. */
  tags: string;
  checks: string[];
}

const pad = (value: number) => String(value).padStart(2, '0');

/** An instant as a `datetime-local` value in the browser's zone: "2026-12-24T22:00". */
export function localInput(iso: string | Date): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A new window: one-off, from the next full hour for two hours, covering the project. */
export function emptyDraft(now: number = Date.now()): WindowDraft {
  const start = new Date(now);
  start.setMinutes(0, 0, 0);
  start.setHours(start.getHours() + 1);
  return {
    name: '',
    kind: 'once',
    startsAt: localInput(start),
    endsAt: localInput(new Date(start.getTime() + 2 * 3_600_000)),
    cron: '0 2 * * SUN',
    tz: browserZone(),
    duration: '2h',
    covers: 'project',
    tags: '',
    checks: [],
  };
}

export function draftOfWindow(window: MaintenanceWindow): WindowDraft {
  const empty = emptyDraft();
  return {
    name: window.name,
    kind: window.kind,
    startsAt: window.startsAt ? localInput(window.startsAt) : empty.startsAt,
    endsAt: window.endsAt ? localInput(window.endsAt) : empty.endsAt,
    cron: window.cron ?? empty.cron,
    tz: window.tz ?? empty.tz,
    duration: window.duration ? lastingInput(window.duration) : empty.duration,
    covers: window.covers,
    tags: window.tags.join(' '),
    checks: window.checks,
  };
}

/** Seconds as the editor writes them: 7200 → "2h", 5400 → "90m". */
function lastingInput(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** What is wrong with the fields the browser can judge, by the API's field names; empty when nothing is. */
export function draftErrors(draft: WindowDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (draft.name.trim() === '') errors.name = 'a window needs a name';
  if (draft.kind === 'once') {
    if (Number.isNaN(Date.parse(draft.startsAt))) errors.startsAt = 'choose when it starts';
    if (Number.isNaN(Date.parse(draft.endsAt))) errors.endsAt = 'choose when it ends';
  } else {
    if (draft.cron.trim() === '') errors.cron = 'a recurring window needs a cron expression, e.g. 0 2 * * SUN';
    const seconds = windowSeconds(draft.duration);
    if (seconds === null) errors.duration = `"${draft.duration.trim()}" is not a duration: a number and a unit, ${DURATION_EXAMPLES}`;
    else if (!Number.isInteger(seconds)) errors.duration = 'must be whole seconds';
    else if (seconds < WINDOW_DURATION.min || seconds > WINDOW_DURATION.max) errors.duration = 'must be between 1 minute and 7 days';
  }
  if (draft.covers === 'tags' && tagsOf(draft).length === 0) errors.tags = 'name at least one tag';
  if (draft.covers === 'checks' && draft.checks.length === 0) errors.checks = 'choose at least one check';
  return errors;
}

/** Seconds of a typed duration, or null when it is none. */
function windowSeconds(text: string): number | null {
  try {
    return parseDuration(text);
  } catch {
    return null;
  }
}

const tagsOf = (draft: WindowDraft) => draft.tags.split(/[\s,]+/).filter(Boolean);

/** The API's window for a draft `draftErrors` found nothing wrong with. */
export function inputOfDraft(draft: WindowDraft): MaintenanceWindowInput {
  return {
    name: draft.name.trim(),
    kind: draft.kind,
    ...(draft.kind === 'once'
      ? { startsAt: new Date(draft.startsAt).toISOString(), endsAt: new Date(draft.endsAt).toISOString() }
      : { cron: draft.cron.trim(), tz: draft.tz.trim(), duration: windowSeconds(draft.duration) ?? 0 }),
    covers: draft.covers,
    ...(draft.covers === 'tags' && { tags: tagsOf(draft) }),
    ...(draft.covers === 'checks' && { checks: draft.checks }),
  };
}

/**
 * What an edit sends: the name, and the times or the coverage only when
 * they changed, since new times make a new plan that undoes an early end.
 */
export function changesOfDraft(original: WindowDraft, draft: WindowDraft): Partial<MaintenanceWindowInput> {
  const before = inputOfDraft(original);
  const after = inputOfDraft(draft);
  const pick = (input: MaintenanceWindowInput, keys: readonly (keyof MaintenanceWindowInput)[]) =>
    JSON.stringify(keys.map((key) => input[key] ?? null));
  const when = ['kind', 'startsAt', 'endsAt', 'cron', 'tz', 'duration'] as const;
  const coverage = ['covers', 'tags', 'checks'] as const;
  const changes: Partial<MaintenanceWindowInput> = { name: after.name };
  if (pick(before, when) !== pick(after, when)) {
    for (const key of when) if (after[key] !== undefined) Object.assign(changes, { [key]: after[key] });
  }
  if (pick(before, coverage) !== pick(after, coverage)) {
    for (const key of coverage) if (after[key] !== undefined) Object.assign(changes, { [key]: after[key] });
  }
  return changes;
}
