import { useState } from 'react';
import { api } from '../api';
import { downFlip, downReason, type FlipWithExit, localTime } from '../down-reason';
import { failingPing } from '../incident';
import { relativeTime } from '../time';
import type { Check, Ping } from '../types';
import { usePoll } from '../usePoll';
import { AlertOutcomes } from './AlertOutcomes';
import { IncidentOutput } from './IncidentOutput';
import { Link } from './Link';
import { TimeAgo } from './TimeAgo';

/** How often the alert's delivery outcomes are read again while the banner shows: a retry may succeed meanwhile. */
const DELIVERIES_REFRESH_MS = 5_000;

interface DownBannerProps {
  check: Check;
  flips: FlipWithExit[] | undefined;
  pings: Ping[] | undefined;
  now: number;
  /** Whether the viewer may act (pause, acknowledge); read-only members only read. */
  canWrite: boolean;
  /** After an action changed the check or its incident. */
  onChanged: () => void;
}

/**
 * Leads the page of a down check with what a person needs in an incident:
 * DOWN, since when and why, in words and a symbol as well as colour; the
 * failing run's last output; who was told and whether it arrived; who
 * acknowledged it; and what to do (acknowledge, pause). The alert region
 * holds only what stays true while the check is down, so a screen reader
 * announces it once; the rest follows outside it.
 */
export function DownBanner({ check, flips, pings, now, canWrite, onChanged }: DownBannerProps) {
  const flip = flips ? downFlip(flips) : null;
  const flipId = flip?.id;
  const deliveries = usePoll(
    () => (flipId === undefined ? Promise.resolve([]) : api.flipDeliveries(check.id, flipId)),
    DELIVERIES_REFRESH_MS,
    `${check.id}/${flipId ?? 'none'}`,
  );
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setActionError(null);
    try {
      await action();
      onChanged();
    } catch (error) {
      setActionError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="down-banner" aria-label="This check is down">
      <div role="alert">
        <p className="down-headline">
          <span aria-hidden="true" className="down-symbol">
            ✕
          </span>{' '}
          <strong>DOWN</strong>
          {flip && (
            <>
              {' '}
              since <time dateTime={flip.at}>{localTime(flip.at)}</time>
            </>
          )}
        </p>
        {flip && <p className="down-why">{downReason(flip, check)}</p>}
      </div>
      {flip && <p className="down-ago">It went down {relativeTime(flip.at, now)}.</p>}
      {flip && pings && <IncidentOutput checkId={check.id} ping={failingPing(pings, flip)} />}
      {flip && <AlertOutcomes attempts={deliveries.data} />}
      {flip?.acknowledgedAt && (
        <p className="down-acknowledged">
          Acknowledged{flip.acknowledgedBy ? ` by ${flip.acknowledgedBy}` : ''} <TimeAgo at={flip.acknowledgedAt} />: no more reminders
          until it is back up.
        </p>
      )}
      <div className="actions">
        {canWrite && flip && !flip.acknowledgedAt && (
          <button type="button" disabled={busy} onClick={() => act(() => api.acknowledge(check.id))}>
            Acknowledge
          </button>
        )}
        {canWrite && (
          <button type="button" disabled={busy} onClick={() => act(() => api.pause(check.id))}>
            Pause
          </button>
        )}
        {flip?.id !== undefined && <Link to={`/checks/${check.id}/incidents/${flip.id}`}>Incident timeline</Link>}
      </div>
      {actionError && (
        <p className="error" role="alert">
          {actionError}
        </p>
      )}
    </section>
  );
}
