/** Codes for input the domain refuses. Each maps to a 400 at the HTTP edge. */
export const ValidationCode = {
  invalidCron: 'CB_INVALID_CRON',
  invalidOnCalendar: 'CB_INVALID_ONCALENDAR',
  invalidTimeZone: 'CB_INVALID_TZ',
  invalidPeriod: 'CB_INVALID_PERIOD',
  invalidGrace: 'CB_INVALID_GRACE',
  invalidMaxRuntime: 'CB_INVALID_MAX_RUNTIME',
  invalidExitStatus: 'CB_INVALID_EXIT_STATUS',
  invalidMaintenanceWindow: 'CB_INVALID_MAINTENANCE_WINDOW',
} as const;
export type ValidationCode = (typeof ValidationCode)[keyof typeof ValidationCode];

/**
 * Input the domain cannot accept. `field` names the offending input and the
 * message says what is wrong with it, in words a person can act on.
 */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly code: ValidationCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
