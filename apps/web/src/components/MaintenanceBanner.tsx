import { untilTime } from '../maintenance';
import type { Check } from '../types';

/**
 * Says that the check is inside a maintenance window, until when and which:
 * its going down alerts nobody meanwhile. A status region, so a screen
 * reader tells it without interrupting.
 */
export function MaintenanceBanner({ maintenance, now }: { maintenance: NonNullable<Check['maintenance']>; now: number }) {
  return (
    <section className="maintenance-banner" aria-label="This check is in maintenance">
      <p role="status">
        <span aria-hidden="true" className="maintenance-symbol">
          ⚙
        </span>{' '}
        <strong>In maintenance</strong> until <time dateTime={maintenance.until}>{untilTime(maintenance.until, now)}</time> —{' '}
        {maintenance.name}
      </p>
      <p className="muted">Pings are recorded and the status changes, but nobody is alerted until the window ends.</p>
    </section>
  );
}
