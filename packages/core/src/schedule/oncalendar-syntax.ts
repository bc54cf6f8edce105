/**
 * The grammar of one systemd OnCalendar expression (`man systemd.time`,
 * "Calendar Events"), read the way systemd 252's calendarspec.c reads it, so
 * that what `systemd-analyze calendar` accepts is what Cronbeat accepts.
 * Evaluation lives in oncalendar.ts.
 */

import {
  ANY_WEEKDAY,
  type CalendarChain,
  type CalendarComponent,
  type CalendarSpec,
  CalendarSyntaxError,
  checkedSpec,
  one,
  USEC,
} from './oncalendar-spec';

const INT_MAX = 2_147_483_647;
const MAX_COMPONENTS = 240;

const WEEKDAY_NAMES: readonly (readonly [string, number])[] = [
  ['monday', 0],
  ['mon', 0],
  ['tuesday', 1],
  ['tue', 1],
  ['wednesday', 2],
  ['wed', 2],
  ['thursday', 3],
  ['thu', 3],
  ['friday', 4],
  ['fri', 4],
  ['saturday', 5],
  ['sat', 5],
  ['sunday', 6],
  ['sun', 6],
];

const zero = [one(0)];

/** systemd's shorthands, as the fields they stand for (a Map, so `constructor` finds nothing). */
const SHORTHANDS = new Map<string, Partial<Omit<CalendarSpec, 'zone'>>>([
  ['minutely', { microsecond: zero }],
  ['hourly', { minute: zero, microsecond: zero }],
  ['daily', { hour: zero, minute: zero, microsecond: zero }],
  ['monthly', { day: [one(1)], hour: zero, minute: zero, microsecond: zero }],
  ['weekly', { weekdays: 1, hour: zero, minute: zero, microsecond: zero }],
  ...['annually', 'yearly', 'anually'].map(
    (name) => [name, { month: [one(1)], day: [one(1)], hour: zero, minute: zero, microsecond: zero }] as const,
  ),
  ['quarterly', { month: [1, 4, 7, 10].map(one), day: [one(1)], hour: zero, minute: zero, microsecond: zero }],
  ...['biannually', 'bi-annually', 'semiannually', 'semi-annually'].map(
    (name) => [name, { month: [one(1), one(7)], day: [one(1)], hour: zero, minute: zero, microsecond: zero }] as const,
  ),
]);

/** Reads one expression (already trimmed, single-spaced); `isZone` says whether a word names a time zone. */
export function parseCalendarSpec(expression: string, isZone: (word: string) => boolean): CalendarSpec {
  let body = expression;
  let zone: string | null = null;
  if (/ utc$/i.test(body)) {
    zone = 'UTC';
    body = body.slice(0, -4);
  } else {
    const lastSpace = body.lastIndexOf(' ');
    const lastWord = body.slice(lastSpace + 1);
    if (lastSpace >= 0 && isZone(lastWord)) {
      zone = lastWord;
      body = body.slice(0, lastSpace);
    } else if (lastSpace >= 0 && /^[A-Za-z]+\/[A-Za-z_/+-]+$/.test(lastWord)) {
      // Shaped like Area/Location but not one: say so, rather than that a time was expected.
      throw new CalendarSyntaxError(`unknown time zone "${lastWord}" (zone names are spelt as in the tz database, e.g. Europe/Riga)`);
    }
  }
  if (body === '') throw new CalendarSyntaxError('nothing before the time zone');
  const shorthand = SHORTHANDS.get(body.toLowerCase());
  const fields: Omit<CalendarSpec, 'zone'> = shorthand
    ? {
        weekdays: ANY_WEEKDAY,
        year: null,
        month: null,
        day: null,
        endOfMonth: false,
        hour: null,
        minute: null,
        microsecond: null,
        ...shorthand,
      }
    : new Reader(body).expression();
  return checkedSpec({ ...fields, zone });
}

class Reader {
  private at = 0;
  private weekdays = 0;
  private endOfMonth = false;
  constructor(private readonly text: string) {}

  expression(): Omit<CalendarSpec, 'zone'> {
    this.readWeekdays();
    const date = this.readDate();
    const time = this.readTime();
    if (this.at < this.text.length) throw new CalendarSyntaxError(`unexpected "${this.text.slice(this.at)}" after the time`);
    return { weekdays: this.weekdays, ...date, endOfMonth: this.endOfMonth, ...time };
  }

  private peek(): string {
    return this.text[this.at] ?? '';
  }

  private skipSpaces(): void {
    while (this.peek() === ' ') this.at++;
  }

  /** `Mon`, `Monday`, lists with `,`, ranges with `..` (or `-`), case-insensitive; optional. */
  private readWeekdays(): void {
    let rangeFrom = -1;
    for (let first = true; ; first = false) {
      const rest = this.text.slice(this.at).toLowerCase();
      const found = WEEKDAY_NAMES.find(([name]) => rest.startsWith(name));
      if (!found) {
        if (first) return;
        throw new CalendarSyntaxError(`"${this.text.slice(this.at).split(/[ ,.]/)[0]}" is not a weekday`);
      }
      const [name, day] = found;
      const after = this.text[this.at + name.length] ?? '';
      if (!['', '-', '.', ',', ' '].includes(after)) {
        throw new CalendarSyntaxError(`"${this.text.slice(this.at).split(' ')[0]}" is not a weekday`);
      }
      this.weekdays |= 1 << day;
      if (rangeFrom >= 0) {
        if (rangeFrom > day) throw new CalendarSyntaxError('a weekday range must go from Monday towards Sunday (Fri..Mon is not allowed)');
        for (let between = rangeFrom + 1; between < day; between++) this.weekdays |= 1 << between;
      }
      this.at += name.length;
      if (this.peek() === '') return;
      if (this.peek() === ' ') {
        this.skipSpaces();
        return;
      }
      if (this.peek() === '.' || this.peek() === '-') {
        if (rangeFrom >= 0) throw new CalendarSyntaxError('a weekday range has one start and one end');
        if (this.peek() === '.' && this.text[this.at + 1] !== '.') throw new CalendarSyntaxError('a weekday range is written "Mon..Fri"');
        rangeFrom = day;
        this.at += this.peek() === '.' ? 2 : 1;
      } else if (this.peek() === ',') {
        rangeFrom = -1;
        this.at++;
      }
      if (this.peek() === '' || this.peek() === ' ') {
        this.skipSpaces();
        if (rangeFrom >= 0) throw new CalendarSyntaxError('the weekday range has no end');
        return;
      }
    }
  }

  /** `[YEAR-]MONTH-DAY` or `[YEAR-]MONTH~DAY`; optional, `*-*-*` when left out. */
  private readDate(): Pick<CalendarSpec, 'year' | 'month' | 'day'> {
    const anyDate = { year: null, month: null, day: null };
    if (this.peek() === '') return anyDate;
    if (this.peek() === '@') throw new CalendarSyntaxError('a single @timestamp is not a schedule');
    const start = this.at;
    const first = this.readChain('date', false);
    if (this.peek() === '' || this.peek() === ':') {
      this.at = start; // it was the hour of a time, not a date
      return anyDate;
    }
    this.readDateSeparator();
    const second = this.readChain('date', false);
    if (this.peek() === '' || this.peek() === ' ') {
      this.skipSpaces();
      return { year: null, month: first, day: second };
    }
    if (this.endOfMonth) throw new CalendarSyntaxError('"~" may only stand between month and day');
    this.readDateSeparator();
    const third = this.readChain('day', false);
    if (this.peek() !== '' && this.peek() !== ' ') throw new CalendarSyntaxError(`unexpected "${this.peek()}" after the date`);
    this.skipSpaces();
    return { year: first, month: second, day: third };
  }

  private readDateSeparator(): void {
    if (this.peek() === '~') this.endOfMonth = true;
    else if (this.peek() !== '-') throw new CalendarSyntaxError(`expected "-" or "~" in the date, found "${this.peek()}"`);
    this.at++;
  }

  /** `HOUR:MINUTE[:SECOND]`; optional, 00:00:00 when left out, seconds 00 when left out. */
  private readTime(): Pick<CalendarSpec, 'hour' | 'minute' | 'microsecond'> {
    if (this.peek() === '') return { hour: zero, minute: zero, microsecond: zero };
    const hour = this.readChain('hour', false);
    if (this.peek() !== ':') {
      const found = this.peek();
      throw new CalendarSyntaxError(found === '' ? 'a time needs hours and minutes, e.g. 09:00' : `unexpected "${found}" in the time`);
    }
    this.at++;
    const minute = this.readChain('minute', false);
    if (this.peek() === '') return { hour, minute, microsecond: zero };
    if (this.peek() !== ':') throw new CalendarSyntaxError(`unexpected "${this.peek()}" in the time`);
    this.at++;
    return { hour, minute, microsecond: this.readChain('second', true) };
  }

  /** `*`, or comma-separated `value`, `value/repeat`, `start..stop`, `start..stop/repeat`. */
  private readChain(field: string, usec: boolean): CalendarChain {
    if (this.peek() === '*') {
      this.at++;
      if (this.peek() === '/') throw new CalendarSyntaxError(`a repetition follows a number, e.g. 0/15, not * (in the ${field})`);
      return usec ? [{ start: 0, stop: -1, repeat: USEC }] : null;
    }
    const chain: CalendarComponent[] = [];
    for (;;) {
      if (chain.length >= MAX_COMPONENTS) throw new CalendarSyntaxError(`more than ${MAX_COMPONENTS} values in one field`);
      const start = this.readNumber(field, usec);
      let stop = -1;
      let repeat = 0;
      if (this.peek() === '.' && this.text[this.at + 1] === '.') {
        this.at += 2;
        stop = this.readNumber(field, usec);
        repeat = usec ? USEC : 1;
      }
      if (this.peek() === '/') {
        this.at++;
        repeat = this.readNumber(field, usec);
        if (repeat === 0) throw new CalendarSyntaxError(`the ${field} repetition must not be /0`);
      }
      if (!['', ' ', ',', '-', '~', ':'].includes(this.peek())) {
        throw new CalendarSyntaxError(
          `unexpected "${this.peek()}" in the ${field}${this.peek() === '/' || this.peek() === '*' ? ' (a repetition follows a number, e.g. 0/15, not *)' : ''}`,
        );
      }
      chain.push({ start, stop, repeat });
      if (this.peek() !== ',') return chain;
      this.at++;
    }
  }

  private readNumber(field: string, usec: boolean): number {
    const digits = /^\d+/.exec(this.text.slice(this.at))?.[0];
    if (digits === undefined) {
      throw new CalendarSyntaxError(
        this.peek() === ''
          ? `the ${field} ends too early`
          : `expected a number in the ${field}, found "${this.text.slice(this.at).split(' ')[0]}"`,
      );
    }
    this.at += digits.length;
    let value = Number(digits);
    if (usec) {
      value *= USEC;
      const fraction = this.peek() === '.' && this.text[this.at + 1] !== '.' ? /^\.(\d*)/.exec(this.text.slice(this.at))?.[1] : undefined;
      if (fraction !== undefined) {
        this.at += fraction.length + 1;
        // systemd keeps six decimals, rounding by the seventh
        value += Math.min(USEC, Number(fraction.slice(0, 6).padEnd(6, '0')) + (Number(fraction[6] ?? '0') >= 5 ? 1 : 0));
      }
    }
    if (value > INT_MAX) throw new CalendarSyntaxError(`${digits} is too large for the ${field}`);
    return value;
  }
}
