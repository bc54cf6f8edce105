import { useEffect, useState } from 'react';
import { api } from '../api';
import { downReason } from '../down-reason';
import { failingPing, type IncidentSpan, incidentSpan, pingsOfIncident } from '../incident';
import { duration, formatInstant } from '../time';
import type { Check, Flip, Ping } from '../types';
import { type Polled, usePoll } from '../usePoll';
import { DeliveryList } from './FlipDeliveries';
import { IncidentOutput } from './IncidentOutput';
import { Link } from './Link';
import { StatusIcon } from './StatusIcon';

/** An ongoing incident changes: read it again this often. */
const REFRESH_MS = 10_000;
/** Pings read for an incident: the newest up to its end (or now), enough for the longest incidents people read whole. */
const PINGS_READ = 1_000;
/** After the incident has ended, a flip with no delivery attempt yet is looked at again for this long (its job may not have run). */
const FIRST_ATTEMPT_WAIT_MS = 2 * 60_000;

/** To the second, in the viewer's locale: an incident's events can be seconds apart. */
const instant = (iso: string) => formatInstant(iso, { seconds: true });

type IncidentEvent =
  | { kind: 'flip'; at: string; flip: Flip }
  | { kind: 'ping'; at: string; ping: Ping }
  | { kind: 'acknowledged'; at: string; by: string | null };

/** The incident's flips, pings and acknowledgement, oldest first; at one instant a ping comes before the flip it caused. */
function eventsOf(span: IncidentSpan, pings: readonly Ping[]): IncidentEvent[] {
  const order = { ping: 0, flip: 1, acknowledged: 2 } as const;
  const events: IncidentEvent[] = [
    ...span.flips.map((flip) => ({ kind: 'flip' as const, at: flip.at, flip })),
    ...pings.map((ping) => ({ kind: 'ping' as const, at: ping.createdAt, ping })),
  ];
  if (span.start.acknowledgedAt)
    events.push({ kind: 'acknowledged', at: span.start.acknowledgedAt, by: span.start.acknowledgedBy ?? null });
  return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || order[a.kind] - order[b.kind]);
}

/**
 * The delivery attempts of one flip's notifications, read again while the
 * incident lasts; once it has ended, only while an attempt is to be retried
 * or the flip, still new, has none yet.
 */
function FlipAttempts({ checkId, flip, ended }: { checkId: string; flip: Flip & { id: number }; ended: boolean }) {
  const [settled, setSettled] = useState(false);
  const attempts = usePoll(() => api.flipDeliveries(checkId, flip.id), settled ? null : REFRESH_MS, `${checkId}/${flip.id}`);
  const awaited =
    attempts.data === undefined ||
    attempts.data.some((attempt) => attempt.outcome === 'retrying') ||
    (attempts.data.length === 0 && Date.now() - Date.parse(flip.at) < FIRST_ATTEMPT_WAIT_MS);
  const nowSettled = ended && !awaited;
  useEffect(() => setSettled(nowSettled), [nowSettled]);
  if (attempts.error && !attempts.data) return <p className="error">Could not load the deliveries: {attempts.error.message}</p>;
  if (!attempts.data) return <p className="muted">Loading deliveries…</p>;
  return <DeliveryList attempts={attempts.data} />;
}

function EventRow({ checkId, event, ended }: { checkId: string; event: IncidentEvent; ended: boolean }) {
  const time = <time dateTime={event.at}>{instant(event.at)}</time>;
  if (event.kind === 'acknowledged') {
    return (
      <li className="incident-event incident-acknowledged">
        {time} <strong>Acknowledged</strong>
        {event.by ? ` by ${event.by}` : ' with an API key'}: no more reminders
      </li>
    );
  }
  if (event.kind === 'ping') {
    const { ping } = event;
    return (
      <li className={`incident-event incident-ping ping-${ping.kind}`}>
        {time} <span className="ping-kind">{ping.kind}</span> ping #{ping.n}
        {ping.exitStatus !== null && <span> · exit {ping.exitStatus}</span>}
        {ping.duration !== null && <span> · took {duration(ping.duration / 1000)}</span>}
        {ping.keyword && <span> · keyword “{ping.keyword}”</span>}
      </li>
    );
  }
  const { flip } = event;
  return (
    <li className="incident-event incident-flip">
      {time} <StatusIcon status={flip.to} /> from {flip.from}: {flip.reason.replaceAll('_', ' ')}
      {flip.id !== undefined && (
        <div className="incident-deliveries">
          <FlipAttempts checkId={checkId} flip={{ ...flip, id: flip.id }} ended={ended} />
        </div>
      )}
    </li>
  );
}

function IncidentBody({ check, span, pings }: { check: Check; span: IncidentSpan; pings: Polled<Ping[]> }) {
  const began = Date.parse(span.start.at);
  const lasted = ((span.end ? Date.parse(span.end.at) : Date.now()) - began) / 1000;
  const read = pings.data;
  const shownPings = read ? pingsOfIncident(read, span) : [];
  // Pings are read newest first, a page of them: an old incident may begin before the oldest read.
  const pingsCut = read !== undefined && read.length >= PINGS_READ && Date.parse(read.at(-1)!.createdAt) > began;
  return (
    <>
      <dl className="facts">
        <dt>Went down</dt>
        <dd>
          <time dateTime={span.start.at}>{instant(span.start.at)}</time>
        </dd>
        <dt>Why</dt>
        <dd className="incident-why">{downReason(span.start, check)}</dd>
        <dt>{span.end ? 'Ended' : 'Status'}</dt>
        <dd>
          {span.end ? (
            <>
              <time dateTime={span.end.at}>{instant(span.end.at)}</time>, {span.end.to} after {duration(Math.max(lasted, 0))}
            </>
          ) : (
            `still down, for ${duration(Math.max(lasted, 0))}`
          )}
        </dd>
        <dt>Acknowledged</dt>
        <dd>
          {span.start.acknowledgedAt ? (
            <>
              {span.start.acknowledgedBy ? `by ${span.start.acknowledgedBy}, ` : 'with an API key, '}
              <time dateTime={span.start.acknowledgedAt}>{instant(span.start.acknowledgedAt)}</time>
            </>
          ) : (
            'no'
          )}
        </dd>
      </dl>
      {read && <IncidentOutput checkId={check.id} ping={failingPing(read, span.start)} />}
      <section aria-labelledby="incident-events-title">
        <h2 id="incident-events-title">Timeline</h2>
        {pings.error && (
          <p className="error">
            Could not load the pings{read ? ' again: those shown may be out of date' : ', so none are shown'} ({pings.error.message}).
          </p>
        )}
        {pingsCut && <p className="muted">Only the incident's last {PINGS_READ} pings are shown.</p>}
        <ol className="incident-events">
          {eventsOf(span, shownPings).map((event) => (
            <EventRow
              key={`${event.kind}-${event.kind === 'ping' ? event.ping.n : event.kind === 'flip' ? event.flip.id : 0}`}
              checkId={check.id}
              event={event}
              ended={span.end !== null}
            />
          ))}
        </ol>
      </section>
    </>
  );
}

/** One incident of a check, from its flip to down until it left down (or now): flips, pings, deliveries and the acknowledgement. */
export function IncidentPage({ checkId, flipId }: { checkId: string; flipId: number }) {
  // An ended incident no longer changes: the page stops reading it again.
  const [ended, setEnded] = useState(false);
  const every = ended ? null : REFRESH_MS;
  const check = usePoll(() => api.check(checkId), every, checkId);
  const flips = usePoll(() => api.flips(checkId), every, checkId);
  const span = flips.data ? incidentSpan(flips.data, flipId) : null;
  // An ended incident's pings are those up to its end, however many came after it.
  const pings = usePoll(() => api.pingsUntil(checkId, span?.end?.at ?? null, PINGS_READ), every, checkId);
  const endSeen = Boolean(span?.end);
  const { reload: reloadCheck } = check;
  const { reload: reloadPings } = pings;
  useEffect(() => {
    if (!endSeen) return;
    setEnded(true);
    // The check and its pings may have been read just before the flip that ended it: once more, then no more.
    reloadCheck();
    reloadPings();
  }, [endSeen, reloadCheck, reloadPings]);

  const failed = check.error ?? flips.error;
  if (failed && !(check.data && flips.data)) return <p className="error">Could not load this incident: {failed.message}</p>;
  if (!check.data || !flips.data) return <p className="muted">Loading…</p>;
  const name = check.data.name || check.data.slug || 'unnamed';
  return (
    <article className="incident-page">
      <p>
        <Link to={`/checks/${checkId}`}>← {name}</Link>
      </p>
      <h1>Incident of {name}</h1>
      {span ? (
        <IncidentBody check={check.data} span={span} pings={pings} />
      ) : (
        <p className="error">
          No incident began with status change {flipId} among this check's latest status changes: it is older, or it was not a change to
          down.
        </p>
      )}
    </article>
  );
}
