/**
 * What an incident is made of, from what the API lists: its span (the flip
 * to down until the flip that left down, or now), the ping whose output
 * tells why, the last lines of that output, and what became of each
 * channel's alert. Pure, so it is tested without a browser.
 */
import type { DeliveryAttempt, Flip, Ping } from './types';

/** One incident: the flip that began it, the one that ended it (null while it lasts), and every flip between, oldest first. */
export interface IncidentSpan {
  start: Flip;
  end: Flip | null;
  flips: Flip[];
}

const at = (iso: string) => Date.parse(iso);

/** Flips oldest first; flips of one instant keep the order of their ids. */
const oldestFirst = (flips: readonly Flip[]) => [...flips].sort((a, b) => at(a.at) - at(b.at) || (a.id ?? 0) - (b.id ?? 0));

/**
 * The incident flip `flipId` began: from it (a flip to down) to the first
 * later flip that leaves down. Null when `flipId` is not among `flips` or
 * is not a flip to down.
 */
export function incidentSpan(flips: readonly Flip[], flipId: number): IncidentSpan | null {
  const ordered = oldestFirst(flips);
  const index = ordered.findIndex((flip) => flip.id === flipId);
  const start = ordered[index];
  if (start?.to !== 'down') return null;
  const rest = ordered.slice(index + 1);
  const endIndex = rest.findIndex((flip) => flip.from === 'down');
  const end = endIndex === -1 ? null : rest[endIndex]!;
  return { start, end, flips: [start, ...(endIndex === -1 ? rest : rest.slice(0, endIndex + 1))] };
}

/**
 * The pings of an incident's span, oldest first: from the last ping at or
 * before it began (the one that took it down, or the last the job sent)
 * until it ended, or now.
 */
export function pingsOfIncident(pings: readonly Ping[], span: IncidentSpan): Ping[] {
  const begin = at(span.start.at);
  const finish = span.end ? at(span.end.at) : Number.POSITIVE_INFINITY;
  const ordered = [...pings].sort((a, b) => a.n - b.n);
  const before = ordered.filter((ping) => at(ping.createdAt) <= begin).at(-1);
  const during = ordered.filter((ping) => at(ping.createdAt) > begin && at(ping.createdAt) <= finish);
  return before ? [before, ...during] : during;
}

/**
 * The ping whose output tells why the check went down: the fail ping that
 * took it down (the last fail ping at or before the flip), or, when it went
 * down for another reason (missed, ran too long), the last ping before it
 * if that one was a failure. Null when the job said nothing that failed.
 */
export function failingPing(pings: readonly Ping[], flip: Pick<Flip, 'at' | 'reason'>): Ping | null {
  const until = at(flip.at);
  const before = [...pings].filter((ping) => at(ping.createdAt) <= until).sort((a, b) => b.n - a.n);
  if (flip.reason === 'failed') return before.find((ping) => ping.kind === 'fail') ?? null;
  const last = before.find((ping) => ping.kind !== 'log');
  return last?.kind === 'fail' ? last : null;
}

/** The tail of a job's output: its last lines, and how many lines before them are not shown. */
export interface OutputTail {
  text: string;
  hiddenLines: number;
}

/** Last lines shown of a failing run's output. */
export const TAIL_LINES = 20;
/** Characters shown at most, however long the lines are. */
export const TAIL_CHARS = 2_000;

/** The last `lines` lines of `output`, and at most `chars` characters of them (a long last line keeps its end). */
export function outputTail(output: string, lines = TAIL_LINES, chars = TAIL_CHARS): OutputTail {
  const all = output.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const kept = all.slice(-lines);
  let text = kept.join('\n');
  if (text.length > chars) text = `…${text.slice(text.length - chars + 1)}`;
  return { text, hiddenLines: all.length - kept.length };
}

/** What became of one channel's alert: its newest attempt. */
export interface ChannelOutcome {
  channel: DeliveryAttempt['channel'];
  attempt: DeliveryAttempt;
  /** Attempts made so far, the newest included. */
  attempts: number;
}

/**
 * Per channel, the newest attempt at the flip's own alert (reminder 0):
 * sent, retrying or failed; channels in the order of their names.
 */
export function channelOutcomes(attempts: readonly DeliveryAttempt[]): ChannelOutcome[] {
  const byChannel = new Map<string, ChannelOutcome>();
  for (const attempt of attempts) {
    if (attempt.reminder !== 0) continue;
    const known = byChannel.get(attempt.channel.id);
    if (!known) byChannel.set(attempt.channel.id, { channel: attempt.channel, attempt, attempts: 1 });
    else {
      known.attempts += 1;
      if (at(attempt.at) > at(known.attempt.at) || (attempt.at === known.attempt.at && attempt.id > known.attempt.id))
        known.attempt = attempt;
    }
  }
  const name = (outcome: ChannelOutcome) => outcome.channel.name || outcome.channel.kind;
  return [...byChannel.values()].sort((a, b) => name(a).localeCompare(name(b)));
}
