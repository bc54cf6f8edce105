/**
 * Alerts held back for what people already know: a maintenance window in
 * force, or a check this one depends on already down. A held alert is sent
 * later, once, if what it says is still true when the hold ends (the
 * window is over, the parent is back); otherwise it is dropped. Pure.
 */
import { type Flip, Status } from './status';

export type AlertHold =
  /** Inside maintenance window `windowId`, in force until `until`. */
  | { kind: 'maintenance'; windowId: string; until: Date }
  /** Checks it depends on (`parents`) were down. */
  | { kind: 'dependency'; parents: readonly string[] };

export type AlertVerdict =
  | { send: true }
  /** Sent later, once, if still true when the hold ends. */
  | { send: false; hold: AlertHold }
  /** Never sent. */
  | { send: false; hold: null };

/** What holds an alert back, as of the flip (or as of now, for a held one). */
export interface AlertContext {
  /** The maintenance window in force that covers the check, if any. */
  maintenance: { windowId: string; end: Date } | null;
  /** Checks it depends on that are down. */
  downParents: readonly string[];
  /** For a recovery: whether the alert that the check went down was sent. */
  incidentAlerted: boolean;
}

const SEND: AlertVerdict = { send: true };
const NEVER: AlertVerdict = { send: false, hold: null };

/**
 * Whether an alerting flip is sent now, held, or never sent. A check that
 * goes down while a check it depends on is down is held until that one is
 * back (its parent's alert lists it meanwhile); any alert inside a
 * maintenance window is held until the window ends; a recovery is told
 * only of an incident people were told of; a late alert is dropped in a
 * window, as lateness is over by the time it ends.
 */
export function alertVerdict(flip: Pick<Flip, 'from' | 'to'>, context: AlertContext): AlertVerdict {
  const inWindow = context.maintenance
    ? { kind: 'maintenance' as const, windowId: context.maintenance.windowId, until: context.maintenance.end }
    : null;
  if (flip.to === Status.down) {
    if (context.downParents.length > 0) return { send: false, hold: { kind: 'dependency', parents: context.downParents } };
    return inWindow ? { send: false, hold: inWindow } : SEND;
  }
  if (flip.from === Status.down && flip.to === Status.up) {
    if (!context.incidentAlerted) return NEVER;
    return inWindow ? { send: false, hold: inWindow } : SEND;
  }
  return inWindow ? NEVER : SEND;
}

/** A held flip, as the check stands now. */
export interface HeldFlip {
  to: Status;
  /** Whether it is still the check's latest alerting flip: a later one says what is true now. */
  latest: boolean;
}

/**
 * What becomes of a held alert now: sent, held on (until a time, or until
 * a parent is back: null), or dropped because the check has moved on.
 */
export function releaseVerdict(
  held: HeldFlip,
  status: Status,
  context: Omit<AlertContext, 'incidentAlerted'>,
): { send: true } | { send: false; until: Date | null } | { send: false; drop: true } {
  if (!held.latest || status !== held.to) return { send: false, drop: true };
  if (held.to === Status.down && context.downParents.length > 0) return { send: false, until: null };
  if (context.maintenance) return { send: false, until: context.maintenance.end };
  return { send: true };
}

/** A check whose follow-up time (`remind_at`) has come, as it stands now. */
export interface FollowUpInput {
  status: Status;
  /** Seconds between reminders while down; null: none. */
  remindEvery: number | null;
  /** Its latest alerting flip (to down, or from down back up): whether it is held, and whether its alert was made. */
  latest: { to: Status; held: boolean; told: boolean } | null;
  /**
   * Its latest flip to down, the incident reminders are about: when it
   * began, whether its alert was made, and whether a person acknowledged it.
   */
  down: { at: Date; told: boolean; acknowledged: boolean } | null;
  maintenance: { windowId: string; end: Date } | null;
  downParents: readonly string[];
}

export interface FollowUp {
  /** Make the held alert of the latest flip now. */
  release: boolean;
  /** The latest flip's hold is over without an alert (the check moved on): stop looking at it. */
  drop: boolean;
  /** Make reminder n of the incident now; null: none. */
  reminder: number | null;
  /** When to look again; null: not until something else sets it. */
  remindAt: Date | null;
}

/**
 * What a check's follow-up does at `now`: a held alert is released (once)
 * or held on, and an incident that was told gets its reminders, the n-th
 * once n × `remindEvery` has passed since it began; a reminder that falls
 * in a maintenance window waits for its end. An acknowledged incident gets
 * no more reminders: someone is on it, and repeating the news would only
 * wake the others. Its held alert is still released (the people it goes to
 * may not know yet), and its recovery is told as any other.
 */
export function followUp(input: FollowUpInput, now: Date): FollowUp {
  let release = false;
  let drop = false;
  let told = input.down?.told ?? false;
  if (input.latest?.held && !input.latest.told) {
    const verdict = releaseVerdict({ to: input.latest.to, latest: true }, input.status, input);
    if (!verdict.send && 'until' in verdict) return { release, drop, reminder: null, remindAt: verdict.until };
    release = verdict.send;
    drop = !verdict.send;
    if (release && input.latest.to === Status.down) told = true;
  }
  if (input.status !== Status.down || input.remindEvery === null || !input.down || !told || input.down.acknowledged) {
    return { release, drop, reminder: null, remindAt: null };
  }
  const every = input.remindEvery * 1000;
  const n = Math.floor((now.getTime() - input.down.at.getTime()) / every);
  const next = new Date(input.down.at.getTime() + (n + 1) * every);
  if (input.maintenance) return { release, drop, reminder: null, remindAt: input.maintenance.end };
  // A released alert is the news; a reminder in the same breath would repeat it.
  return { release, drop, reminder: n >= 1 && !release ? n : null, remindAt: next };
}

/**
 * Projects whose checks going down, told now in one sweep batch, are more
 * than the project's threshold (`groupAbove`: null never groups): their
 * email and chat channels get one message listing them instead of one
 * each. `downs` holds one project id per check told of going down.
 */
export function groupedProjects(downs: readonly string[], groupAbove: (projectId: string) => number | null): Set<string> {
  const counts = new Map<string, number>();
  for (const projectId of downs) counts.set(projectId, (counts.get(projectId) ?? 0) + 1);
  const grouped = new Set<string>();
  for (const [projectId, count] of counts) {
    const above = groupAbove(projectId);
    if (above !== null && count > above) grouped.add(projectId);
  }
  return grouped;
}
