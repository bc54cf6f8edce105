/**
 * Wall-clock times in messages: in the zone the check runs in, with the
 * zone named, so "02:30" in an alert means what "30 2 * * *" in its crontab
 * means. Machines (webhook JSON) get ISO-8601 UTC instead.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building one costs far more than using it. At most the few hundred IANA zones. */
function formatIn(tz: string): Intl.DateTimeFormat {
  let format = formats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: tz,
    });
    formats.set(tz, format);
  }
  return format;
}

/**
 * `Thu, 3 Dec 2026, 02:30 (Europe/Riga)`: the instant on the clocks of `tz`,
 * to the minute, and the zone's canonical name. A zone this runtime does not
 * know (the API accepts none, but a stored one could outlive an ICU update)
 * is shown in UTC rather than stopping the message.
 */
export function formatWhen(at: Date, tz: string): string {
  let format: Intl.DateTimeFormat;
  try {
    format = formatIn(tz);
  } catch {
    format = formatIn('UTC');
  }
  return `${format.format(at)} (${format.resolvedOptions().timeZone})`;
}
