import { downFlip, downReason, type FlipWithExit, localTime } from '../down-reason';
import { relativeTime } from '../time';
import type { Check } from '../types';

/**
 * Leads the page of a down check: DOWN, since when and why, in words and a
 * symbol as well as colour. The alert region holds only what stays true
 * while the check is down, so a screen reader announces it once; how long
 * ago follows outside it.
 */
export function DownBanner({ check, flips, now }: { check: Check; flips: FlipWithExit[] | undefined; now: number }) {
  const flip = flips ? downFlip(flips) : null;
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
    </section>
  );
}
