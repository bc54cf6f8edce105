/**
 * What an alert tells beyond its own flip: why it comes later than the flip
 * (held while a maintenance window was in force, or while checks it depends
 * on were down), which checks depending on it are down, and, for a grouped
 * alert, each check of the group. Words only: names are quoted as people
 * wrote them, and each channel escapes them for its medium. Pure.
 */
import { Status } from '@cronbeat/core';
import { alertEvent, alertTime, alertZone, downPhrase, isGrouped } from './message';
import type { Alert, DownDependent, GroupedCheck } from './types';
import { formatClock } from './when';

/** What every channel titles the phrase of `heldPhrase`. */
export const HELD_TITLE = 'Held back';

/** `a`, `a and b`, `a, b and c`. */
const listed = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

const whatHappened = (alert: Alert): string =>
  alert.flip.to === Status.up ? 'came back up' : alert.flip.to === Status.late ? 'turned late' : 'went down';

/**
 * Why this alert comes only now, for one held back and released when its
 * hold ended: `went down at 02:10 during maintenance window "Sunday backups"`
 * (`during a maintenance window` once the window was deleted), or
 * `went down at 02:10 while db-primary was down; it recovered since`
 * (`while checks it depends on were down` once it no longer has them). The
 * time is on the check's clocks, with the day when the alert goes out on
 * another. Null for an alert sent at once.
 */
export function heldPhrase(alert: Alert): string | null {
  const at = (releasedAt: Date) => formatClock(alert.flip.at, alertZone(alert), releasedAt);
  if (alert.maintenance) {
    const { name, releasedAt } = alert.maintenance;
    const window = name === null ? 'a maintenance window' : `maintenance window "${name}"`;
    return `${whatHappened(alert)} at ${at(releasedAt)} during ${window}`;
  }
  if (!alert.dependency) return null;
  const parents = alert.dependency.parents;
  // Its dependencies were edited since: which checks it waited for is no longer known.
  if (parents.length === 0) return `${whatHappened(alert)} at ${at(alert.dependency.releasedAt)} while checks it depends on were down`;
  const one = parents.length === 1;
  const recovered = parents.filter((parent) => parent.status !== Status.down);
  const since =
    recovered.length === parents.length
      ? `; ${one ? 'it' : 'they'} recovered since`
      : recovered.length > 0
        ? `; ${listed(recovered.map((parent) => parent.name))} recovered since`
        : '';
  const names = listed(parents.map((parent) => parent.name));
  return `${whatHappened(alert)} at ${at(alert.dependency.releasedAt)} while ${names} ${one ? 'was' : 'were'} down${since}`;
}

/**
 * The checks depending on this one that are down, and what to title them:
 * `Also down, depending on it` for a DOWN or STILL DOWN alert, `Still down`
 * for an UP alert; null when there are none (or for a LATE alert).
 */
export function dependentsNote(alert: Alert): { title: string; dependents: readonly DownDependent[] } | null {
  const dependents = alert.dependents ?? [];
  if (dependents.length === 0) return null;
  const event = alertEvent(alert);
  if (event === 'late') return null;
  return { title: event === 'up' ? 'Still down' : 'Also down, depending on it', dependents };
}

/** `Also down, depending on it: a, b, c`, `Still down: a, b`; null when none. */
export function dependentsPhrase(alert: Alert): string | null {
  const note = dependentsNote(alert);
  return note && `${note.title}: ${note.dependents.map((dependent) => dependent.name).join(', ')}`;
}

/** The lines every channel shows under its headline, in order: why it comes late, and the dependents down. */
export function alertNotes(alert: Alert): string[] {
  const held = heldPhrase(alert);
  const dependents = dependentsPhrase(alert);
  return [held ? `${HELD_TITLE}: ${held}` : null, dependents].filter((note): note is string => note !== null);
}

/** One check of a grouped alert in words: its name, why it went down, when on its clocks, its link, and its dependents down. */
export interface GroupLine {
  name: string;
  /** `missed, last ping 26 h ago`, as its own alert would have said. */
  reason: string;
  /** `Tue, 2 Jun 2026, 16:00 (Europe/Berlin)`: when it went down, on its check's clocks. */
  at: string;
  url: string;
  /** `also down, depending on it: a, b`; null when none. */
  dependents: string | null;
}

function groupLine(member: GroupedCheck): GroupLine {
  const names = (member.dependents ?? []).map((dependent) => dependent.name);
  return {
    name: member.check.name,
    reason: downPhrase(member),
    at: alertTime(member, member.flip.at),
    url: member.check.url,
    dependents: names.length > 0 ? `also down, depending on it: ${names.join(', ')}` : null,
  };
}

/** Every check of a grouped alert, oldest flip first; empty for an alert about one check. */
export const groupLines = (alert: Alert): GroupLine[] => (isGrouped(alert) ? alert.group.map(groupLine) : []);

/** `20 checks of Acme went down together:`: what a grouped alert's list is. */
export const groupIntro = (alert: Alert): string => `${alert.group?.length ?? 0} checks of ${alert.check.projectName} went down together:`;

/** `backup: missed, last ping 26 h ago; down since Tue, 2 Jun 2026, 16:00 (Europe/Berlin)`, and its dependents down. */
export const groupLineText = (line: GroupLine): string =>
  `${line.name}: ${line.reason}; down since ${line.at}${line.dependents ? `; ${line.dependents}` : ''}`;
