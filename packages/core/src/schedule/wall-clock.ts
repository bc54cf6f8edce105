import { offsetAt } from './zone';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Per zone and hour since the epoch: the offset all through that hour, or null when it changes within it. */
const steadyOffsets = new Map<string, number | null>();

/**
 * `offsetAt`, remembered per zone and hour, because a search asks for the
 * same hours again and again and Intl is slow: an hour that starts and ends
 * on one offset has it throughout, as no zone changes its clocks twice
 * within an hour.
 */
function offsetIn(zone: string, instant: number): number {
  const hour = Math.floor(instant / HOUR_MS);
  const key = `${zone} ${hour}`;
  let steady = steadyOffsets.get(key);
  if (steady === undefined) {
    if (steadyOffsets.size >= 100_000) steadyOffsets.clear();
    const start = offsetAt(zone, hour * HOUR_MS);
    steady = start === offsetAt(zone, hour * HOUR_MS + HOUR_MS - 1) ? start : null;
    steadyOffsets.set(key, steady);
  }
  return steady ?? offsetAt(zone, instant);
}

/** Broken-down local time as C's `struct tm` holds it: `mon` 0-11, fields may overflow before `normalize`. */
export interface LocalTime {
  year: number;
  mon: number;
  mday: number;
  hour: number;
  min: number;
  sec: number;
}

/**
 * C's `localtime` and `mktime` (with `tm_isdst = -1`) in one zone, as glibc
 * does them, because systemd computes OnCalendar elapses with them and
 * their DST behaviour is what Cronbeat must match:
 * - a local time the clocks jumped over is read with the offset from before
 *   the jump, so it lands after the jump (Riga's 03:30 on the spring day is
 *   04:30 EEST);
 * - a local time that happened twice is read with the offset of the previous
 *   conversion (glibc remembers it between calls), so a search moving forward
 *   from before the change stays in the first pass.
 * A zone of null is UTC (`timegm`).
 */
export class WallClock {
  /** glibc's `localtime_offset`: the offset of the last conversion, in ms. */
  private lastOffset = 0;

  constructor(private readonly zone: string | null) {}

  /** The local time at `instant` (whole seconds), as `localtime_r`; also what the next `normalize` remembers. */
  localTime(instant: number): LocalTime {
    this.lastOffset = this.zone === null ? 0 : offsetIn(this.zone, instant);
    return fieldsOf(instant + this.lastOffset);
  }

  /** As `mktime`: the instant `local` stands for, and `local` with its fields carried into range. */
  normalize(local: LocalTime): { at: number; local: LocalTime; weekday: number } {
    const wall = Date.UTC(local.year, local.mon, local.mday, local.hour, local.min, local.sec);
    const at = this.zone === null ? wall : this.resolve(this.zone, wall);
    const shown = this.zone === null ? wall : at + offsetIn(this.zone, at);
    return { at, local: fieldsOf(shown), weekday: new Date(shown).getUTCDay() };
  }

  private resolve(zone: string, wall: number): number {
    const offsets = [...new Set([this.lastOffset, offsetIn(zone, wall - DAY_MS), offsetIn(zone, wall + DAY_MS)])];
    const valid = offsets.filter((offset) => offsetIn(zone, wall - offset) === offset);
    let offset: number;
    if (valid.length > 0) {
      // The remembered offset first: an hour that happened twice stays in the pass the search is in.
      offset = valid[0]!;
    } else {
      // In a gap glibc prefers the reading that lands in daylight saving time, the later offset.
      offset = offsets.reduce((best, candidate) => (offsetIn(zone, wall - candidate) > offsetIn(zone, wall - best) ? candidate : best));
    }
    this.lastOffset = offset;
    return wall - offset;
  }
}

function fieldsOf(wall: number): LocalTime {
  const date = new Date(wall);
  return {
    year: date.getUTCFullYear(),
    mon: date.getUTCMonth(),
    mday: date.getUTCDate(),
    hour: date.getUTCHours(),
    min: date.getUTCMinutes(),
    sec: date.getUTCSeconds(),
  };
}
