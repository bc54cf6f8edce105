import { useCallback, useSyncExternalStore } from 'react';
import { subscribeToTicks, tickTime } from '../ticker';
import { exactTime, relativeTime } from '../time';

interface TimeAgoProps {
  at: string | null;
  /** Shown when `at` is null. Default: "never". */
  empty?: string;
  /** For a schedule's instant (next due): the check's IANA zone, named in the exact time. Default: the browser's zone. */
  zone?: string;
}

/**
 * Relative time ("4 minutes ago"), kept current by the one shared ticker. The exact instant, in the
 * viewer's locale with its zone named, is the hover title and, for screen readers (a title is not
 * reachable by keyboard), visually hidden text after the relative words; machines read `dateTime`.
 */
export function TimeAgo({ at, empty = 'never', zone }: TimeAgoProps) {
  const text = useSyncExternalStore(
    subscribeToTicks,
    useCallback(() => (at ? relativeTime(at, tickTime()) : ''), [at]),
  );
  if (!at) return <span className="muted">{empty}</span>;
  const exact = exactTime(at, zone === undefined ? {} : { zone });
  return (
    <time dateTime={at} title={exact} className="time-ago">
      {text}
      <span className="visually-hidden"> ({exact})</span>
    </time>
  );
}
