import { exactTime, relativeTime } from '../time';

/** Relative time, with the exact instant on hover and for machines. */
export function TimeAgo({ at, now, empty = 'never' }: { at: string | null; now: number; empty?: string }) {
  if (!at) return <span className="muted">{empty}</span>;
  return (
    <time dateTime={at} title={exactTime(at)}>
      {relativeTime(at, now)}
    </time>
  );
}
