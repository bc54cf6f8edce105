/**
 * The one place the dashboard turns instants into words. Dates and times follow
 * the viewer's locale (the browser's, i.e. navigator.language, unless a test
 * passes one); an instant that belongs to a schedule (next due, a cron
 * preview, a maintenance window) is shown in the check's zone with the zone
 * named. The browser's Intl (DateTimeFormat with timeZone, RelativeTimeFormat)
 * does all of it: no date library is needed, and none is bundled.
 */

/** How an instant is written. */
export interface InstantOptions {
  /** IANA zone to show it in; the zone is then named after the time ("09:00 Europe/Berlin"). Default: the browser's, unnamed. */
  zone?: string;
  /** BCP 47 locale. Default: the browser's. */
  locale?: string;
  /** To the second instead of the minute. Default: false. */
  seconds?: boolean;
  /** Name `zone` after the time. Default: true; false where the caller names it once for several times. */
  nameZone?: boolean;
  /** With the day of the week ("Thu 24 Dec 2026, 22:00"), for windows that recur weekly. Default: false. */
  weekday?: boolean;
}

// Building a DateTimeFormat costs far more than using one: a list of a thousand rows reuses a few.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, made);
  }
  return made;
}

/**
 * The browser's own zone ("Europe/Berlin"); UTC where the runtime knows none.
 * The runtime's resolved name is already the one the server's rule gives
 * (both ask Intl), so it is sent as it is.
 */
export const browserZone = (): string => formatter(undefined, {}).resolvedOptions().timeZone || 'UTC';

/** A zone the runtime knows, else UTC: a name from the server is canonical, but an old browser may lack a new zone. */
function knownZone(zone: string): string {
  try {
    formatter(undefined, { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

function fieldsOf(options: InstantOptions): Intl.DateTimeFormatOptions {
  if (options.weekday) {
    return {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      ...(options.seconds && { second: '2-digit' }),
    };
  }
  return { dateStyle: 'medium', timeStyle: options.seconds ? 'medium' : 'short' };
}

/**
 * An instant in the viewer's locale: "7 Dec 2026, 17:48" (en-GB), "Dec 7, 2026, 5:48 PM" (en-US),
 * "07.12.2026, 17:48" (de-DE); with `zone`, in that zone and naming it: "7 Dec 2026, 09:00 Europe/Berlin".
 */
export function formatInstant(iso: string, options: InstantOptions = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const zone = options.zone === undefined ? undefined : knownZone(options.zone);
  const text = formatter(options.locale, { ...fieldsOf(options), ...(zone && { timeZone: zone }) }).format(date);
  return zone && options.nameZone !== false ? `${text} ${zone}` : text;
}

/** The time of day only, to the minute, in `zone` (default: the browser's): "09:00", "9:00 AM". */
export function formatClock(iso: string, options: Pick<InstantOptions, 'zone' | 'locale'> = {}): string {
  const zone = options.zone === undefined ? undefined : knownZone(options.zone);
  return formatter(options.locale, { timeStyle: 'short', ...(zone && { timeZone: zone }) }).format(new Date(iso));
}

/**
 * The exact instant, to the second, with its zone's short name, for hover titles and screen readers:
 * "7 Dec 2026, 17:48:15 CET" in the browser's zone; with `zone`, in that zone with the Intl short name
 * and the IANA name, and the viewer's own time when their zone differs:
 * "7 Dec 2026, 09:00:00 CET (Europe/Berlin; 03:00 your time)".
 */
export function exactTime(iso: string, options: Pick<InstantOptions, 'zone' | 'locale'> = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const zone = options.zone === undefined ? undefined : knownZone(options.zone);
  const text = formatter(options.locale, { dateStyle: 'medium', timeStyle: 'long', ...(zone && { timeZone: zone }) }).format(date);
  if (!zone) return text;
  const own = browserZone();
  const yours = own === zone ? '' : `; ${formatter(options.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date)} your time`;
  return `${text} (${zone}${yours})`;
}

/** An instant soon after `now`, briefly, in the browser's zone: the time of day when it is today ("04:00"), else with the day ("24 Dec, 04:00"). */
export function formatSoon(iso: string, now: number = Date.now(), locale?: string): string {
  const date = new Date(iso);
  const today = date.toDateString() === new Date(now).toDateString();
  const options: Intl.DateTimeFormatOptions = today
    ? { hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return formatter(locale, options).format(date);
}

/** A chart's time-axis label in the viewer's locale and zone: the day ("7 Dec", "7. Dez.") or the time of day ("09:00"). */
export function formatTick(milliseconds: number, unit: 'day' | 'time', locale?: string): string {
  const options: Intl.DateTimeFormatOptions = unit === 'day' ? { day: 'numeric', month: 'short' } : { hour: '2-digit', minute: '2-digit' };
  return formatter(locale, options).format(new Date(milliseconds));
}

/** An instant in the browser's own locale and zone, to the minute: "4 Dec 2026, 16:20" in en-GB. */
export const localTime = (iso: string): string => formatInstant(iso);

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

// The dashboard's words are English, and "4 minutes ago" sits inside English sentences ("It went down
// 4 minutes ago."): relative times are English; absolute dates and times follow the viewer's locale.
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 minutes ago", "in 2 hours", "yesterday", "now"; `now` is passed so a whole list agrees on it. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return iso;
  if (Math.abs(seconds) < 5) return 'now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return relative.format(Math.trunc(seconds / size), unit);
  }
  return relative.format(seconds, 'second');
}

/** 90 → "1 min 30 s", 7200 → "2 h". Seconds in, words out. */
export function duration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [label, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count} ${label}`);
  }
  return parts.slice(0, 2).join(' ');
}
