/** Durations in seconds, the unit of every schedule setting. */
export const MINUTE = 60;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR = 365 * DAY;

export const addSeconds = (at: Date, seconds: number): Date => new Date(at.getTime() + seconds * 1000);
