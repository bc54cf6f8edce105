/**
 * What the incident services (PagerDuty, Opsgenie) share: which alerts open
 * or close an incident there, and one alert per check of a grouped alert,
 * since each check's incident is closed by its own UP. Pure.
 */
import { alertEvent, isGrouped } from '../message';
import type { Alert } from '../types';

/**
 * `open` for DOWN and STILL DOWN (a reminder re-opens the same key, which
 * the service folds into the open incident), `close` for UP, null for LATE:
 * a late check has no incident yet, and nothing would close one opened for
 * lateness when the check is back before it goes down (no UP is sent then).
 */
export function incidentAction(alert: Alert): 'open' | 'close' | null {
  const event = alertEvent(alert);
  return event === 'up' ? 'close' : event === 'late' ? null : 'open';
}

/**
 * When the incident this alert is about began: a DOWN's own flip, a
 * reminder's flip (the incident's start), an UP's `downSince` (the time of
 * that same flip to down, read from the flips table). A recovery whose
 * start is not known keys on its own flip.
 */
export const incidentStart = (alert: Alert): Date => (alertEvent(alert) === 'up' ? (alert.downSince ?? alert.flip.at) : alert.flip.at);

/**
 * Each check an alert opens an incident for: every check of a grouped
 * alert (the group's one message is for people, the services need one
 * incident per check so each check's UP can close its own), else the
 * alert itself. A member gets no ping: the alert's ping is its carrier's.
 */
export function alertsPerCheck(alert: Alert): Alert[] {
  if (!isGrouped(alert)) return [alert];
  return alert.group.map((member) =>
    member.check.id === alert.check.id && member.flip.id === alert.flip.id
      ? { ...alert, group: null }
      : { ...alert, check: member.check, flip: member.flip, dependents: member.dependents ?? [], ping: null, group: null },
  );
}
