import { DURATION_EXAMPLES, durationError, formatDuration, readDuration } from '../durations';
import { describeCron, describePeriod, PERIOD_PRESETS, timeZones } from '../schedule';
import { zoneProblem } from '../zones';
import { CronPreview } from './CronPreview';

export interface ScheduleValue {
  kind: 'period' | 'cron' | 'oncalendar';
  /** As typed: `15m`, `1d`. */
  period: string;
  cron: string;
  /** systemd OnCalendar expressions, one per line. */
  onCalendar: string;
  tz: string;
}

const KIND_LABELS = { period: 'Every …', cron: 'Cron expression', oncalendar: 'OnCalendar' } as const;

export const ZONES = timeZones();

/** What the server said about the schedule's fields, by the API's field names. */
export type ScheduleErrors = Partial<Record<'period' | 'cron' | 'onCalendar' | 'tz', string>>;

/** Period (with presets), cron or OnCalendar + time zone, with the schedule in words or its next runs and an inline error as you type. */
export function ScheduleFields({
  value,
  onChange,
  serverErrors = {},
}: {
  value: ScheduleValue;
  onChange: (value: ScheduleValue) => void;
  serverErrors?: ScheduleErrors;
}) {
  const described = value.kind === 'cron' ? describeCron(value.cron) : null;
  const periodSeconds = readDuration(value.period);
  const periodError = durationError(value.period) ?? serverErrors.period;
  const cronError = serverErrors.cron ?? (described && 'error' in described ? described.error : undefined);
  const zone = value.kind !== 'period' ? zoneProblem(value.tz, ZONES) : undefined;
  const onCalendarError = serverErrors.onCalendar;
  const zoneError = zone?.error ?? serverErrors.tz;
  return (
    <fieldset className="stack">
      <legend>Schedule</legend>
      <div className="segmented" role="radiogroup" aria-label="Schedule kind">
        {(['period', 'cron', 'oncalendar'] as const).map((kind) => (
          <label key={kind}>
            <input
              type="radio"
              name="schedule-kind"
              value={kind}
              checked={value.kind === kind}
              onChange={() => onChange({ ...value, kind })}
            />
            {KIND_LABELS[kind]}
          </label>
        ))}
      </div>
      {value.kind === 'period' ? (
        <>
          <label>
            Period
            <input
              name="period"
              className="mono"
              required
              spellCheck={false}
              autoComplete="off"
              placeholder={DURATION_EXAMPLES}
              value={value.period}
              aria-invalid={periodError ? true : undefined}
              aria-describedby="period-help"
              onChange={(event) => onChange({ ...value, period: event.target.value })}
            />
          </label>
          <fieldset className="presets">
            <legend className="visually-hidden">Period presets</legend>
            {PERIOD_PRESETS.map((preset) => (
              <button
                type="button"
                key={preset.seconds}
                aria-pressed={periodSeconds === preset.seconds}
                onClick={() => onChange({ ...value, period: formatDuration(preset.seconds) })}
              >
                {preset.label}
              </button>
            ))}
          </fieldset>
          <div id="period-help" aria-live="polite">
            {periodError || typeof periodSeconds !== 'number' ? (
              <p className="error field-error">Period {periodError}</p>
            ) : (
              <p className="hint">Expects a ping {describePeriod(periodSeconds)}.</p>
            )}
          </div>
        </>
      ) : (
        <>
          {value.kind === 'cron' ? (
            <>
              <label>
                Cron expression
                <input
                  name="cron"
                  className="mono"
                  required
                  spellCheck={false}
                  autoComplete="off"
                  value={value.cron}
                  aria-invalid={cronError ? true : undefined}
                  aria-describedby="cron-help"
                  onChange={(event) => onChange({ ...value, cron: event.target.value })}
                />
              </label>
              <div id="cron-help" aria-live="polite">
                {cronError ? (
                  <p className="error field-error">{cronError}</p>
                ) : described && 'words' in described ? (
                  <p className="hint cron-words">
                    {described.words}, {value.tz}
                  </p>
                ) : null}
              </div>
            </>
          ) : (
            <>
              <label>
                OnCalendar expressions
                <textarea
                  name="onCalendar"
                  className="mono"
                  required
                  rows={3}
                  spellCheck={false}
                  autoComplete="off"
                  value={value.onCalendar}
                  aria-invalid={onCalendarError ? true : undefined}
                  aria-describedby="oncalendar-help"
                  onChange={(event) => onChange({ ...value, onCalendar: event.target.value })}
                />
              </label>
              <div id="oncalendar-help" aria-live="polite">
                {onCalendarError ? (
                  <p className="error field-error">{onCalendarError}</p>
                ) : (
                  <p className="hint">
                    systemd timer syntax, one expression per line, e.g. <code>Mon..Fri *-*-* 09:00</code> or <code>*:0/15</code>; an
                    expression may end with its own time zone.
                  </p>
                )}
              </div>
            </>
          )}
          <label>
            Time zone
            <input
              name="tz"
              list="time-zones"
              required
              spellCheck={false}
              autoComplete="off"
              value={value.tz}
              aria-invalid={zoneError ? true : undefined}
              aria-describedby="tz-help"
              onChange={(event) => onChange({ ...value, tz: event.target.value })}
            />
            <datalist id="time-zones">
              {ZONES.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </label>
          <div id="tz-help" aria-live="polite">
            {zoneError && <p className="error field-error">{zoneError}</p>}
            {zone && zone.suggestions.length > 0 && (
              <p className="suggestions">
                Did you mean{' '}
                {zone.suggestions.map((suggestion) => (
                  <button type="button" className="link" key={suggestion} onClick={() => onChange({ ...value, tz: suggestion })}>
                    {suggestion}
                  </button>
                ))}
              </p>
            )}
          </div>
          {value.kind === 'cron' && !cronError && !zoneError && <CronPreview cron={value.cron} tz={value.tz} />}
          {value.kind === 'oncalendar' && !zoneError && value.onCalendar.trim() !== '' && (
            <CronPreview onCalendar={value.onCalendar} tz={value.tz} />
          )}
        </>
      )}
    </fieldset>
  );
}
