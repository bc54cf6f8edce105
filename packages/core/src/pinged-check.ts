/**
 * What a check's pings, in arrival order, do to it: `applyPing` one after
 * the other, with the bookkeeping that spans pings (the ping count that
 * numbers them, the run starts that pair overlapping runs with their ends,
 * when the sweep looks next). Pure: the caller loads the check, calls this
 * and stores the outcome.
 */
import { type CheckState, sweepAtAfterPing } from './check';
import { applyPing, ignoresPings, type PingInput, type PingMethods, runClosedBy, type StoredPingKind, takesMethod } from './ping';
import type { Flip } from './status';

/** A check as its pings change it. */
export interface PingedCheck {
  state: CheckState;
  /** Pings stored so far; the next one is number `nPings + 1`. */
  nPings: number;
  /** When the sweep is to look at the check next, as stored. */
  sweepAt: Date | null;
  /**
   * Starts of runs by run id, newest last, for ends of runs that are not the
   * latest one (overlapping runs): null when no start ping has that run id.
   * Need not be complete: a run missing here is looked up (`unknownRun`).
   */
  runStarts: ReadonlyMap<string, Date | null>;
  /** Which methods its pings may come by (`takesMethod`). Absent: any. */
  methods?: PingMethods;
}

/** How one ping is stored: its number in the check, its kind, the duration of the run it ends (ms), the keyword that decided its kind. */
export interface StoredPing {
  n: number;
  kind: StoredPingKind;
  duration: number | null;
  keyword: string | null;
}

export type PingsApplied<Check extends PingedCheck> =
  /** The check after the pings, how each is stored (in order), and the status changes they made. */
  | { ok: true; check: Check; stored: StoredPing[]; flips: Flip[] }
  /** A ping ends run `unknownRun`, whose start is not in `runStarts`: look it up, add it and call again. */
  | { ok: false; unknownRun: string };

/**
 * Applies `pings`, in arrival order, to `check`. Other fields of `check` are
 * kept as they are (the caller's identity and row version).
 */
export function applyPings<Check extends PingedCheck>(check: Check, pings: readonly PingInput[]): PingsApplied<Check> {
  if (pings.length === 0) return { ok: true, check, stored: [], flips: [] };
  let { state, nPings } = check;
  // Copied on the first start that adds to it; most batches have none.
  let runStarts = check.runStarts;
  const stored: StoredPing[] = [];
  const flips: Flip[] = [];
  for (const ping of pings) {
    if (!takesMethod(check.methods, ping.method)) {
      // Stored and numbered, and nothing else: no run closes, no deadline moves.
      nPings += 1;
      stored.push({ n: nPings, kind: 'ignored', duration: null, keyword: null });
      continue;
    }
    let runStartedAt: Date | null = null;
    // An ignored ping closes no run, so the start of its run is not worth a lookup.
    const closes = ignoresPings(state) ? null : runClosedBy(state, ping);
    if (closes && !closes.latest) {
      const start = runStarts.get(closes.rid);
      if (start === undefined) return { ok: false, unknownRun: closes.rid };
      runStartedAt = start;
    }
    // Named fields, not a spread: the caller's pings carry their whole request, and this runs for every ping.
    const outcome = applyPing(state, {
      kind: ping.kind,
      at: ping.at,
      rid: ping.rid,
      exitStatus: ping.exitStatus,
      body: ping.body,
      runStartedAt,
      reportedDuration: ping.reportedDuration,
    });
    if (ping.rid !== null && outcome.stored.kind === 'start') runStarts = withRunStart(runStarts, ping.rid, ping.at);
    state = outcome.check;
    nPings += 1;
    stored.push({ n: nPings, kind: outcome.stored.kind, duration: outcome.stored.duration, keyword: outcome.stored.keyword });
    if (outcome.flip) flips.push(outcome.flip);
  }
  const sweepAt = sweepAtAfterPing(check.sweepAt, state, pings[pings.length - 1]!.at);
  return { ok: true, check: { ...check, state, nPings, sweepAt, runStarts }, stored, flips };
}

/**
 * `runStarts` with the run `rid` started at `start`, newest last. A run id
 * started again is moved, not kept twice: its end closes the newest start.
 */
export function withRunStart(
  runStarts: ReadonlyMap<string, Date | null>,
  rid: string,
  start: Date | null,
): ReadonlyMap<string, Date | null> {
  const added = new Map(runStarts);
  added.delete(rid);
  return added.set(rid, start);
}
