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

const clocks = new Map<string, Intl.DateTimeFormat>();

/** One `HH:MM` (and, when asked, weekday and date) formatter per zone and shape. */
function clockIn(tz: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${tz} ${withDate}`;
  let format = clocks.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      ...(withDate ? { weekday: 'short', day: 'numeric', month: 'short' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: tz,
    });
    clocks.set(key, format);
  }
  return format;
}

const days = new Map<string, Intl.DateTimeFormat>();

/** `2026-06-02`: the calendar day of the instant on the clocks of `tz`. */
function calendarDay(at: Date, tz: string): string {
  let format = days.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: tz });
    days.set(tz, format);
  }
  return format.format(at);
}

/**
 * `02:00`: the instant on the clocks of `tz`, for a phrase that names the
 * zone once (`ran at 01:12, scheduled 02:00 Europe/Berlin`). On another day
 * of those clocks than `reference`, the day is named too (`Tue 2 Jun, 00:10`),
 * so a time near midnight is not read as the wrong night's. A zone this
 * runtime does not know falls back to UTC, as in `formatWhen`.
 */
export function formatClock(at: Date, tz: string, reference: Date = at): string {
  const zone = knownZone(tz);
  const withDate = calendarDay(at, zone) !== calendarDay(reference, zone);
  return clockIn(zone, withDate).format(at);
}

/** The zone's canonical name, as `formatWhen` shows it; UTC for a zone this runtime does not know. */
export function knownZone(tz: string): string {
  try {
    return formatIn(tz).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}
