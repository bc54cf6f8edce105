import type { ReactNode } from 'react';
import { type DurationMode, type PolicyDraft, RUN_POLICY_LIMITS } from '../alert-policy';
import { Field } from './Field';

const { threshold, maxConcurrentRuns, factor } = RUN_POLICY_LIMITS;
const range = (limits: { min: number; max: number }) => `${limits.min}–${limits.max}`;

const DURATION_MODES: Array<[DurationMode, string]> = [
  ['off', 'Off'],
  ['auto', 'Auto: compared with recent runs'],
  ['bounds', 'Bounds: a minimum and a maximum'],
];

/**
 * The editor's "Alert policy" section: when failed and successful runs
 * change the status, keywords in a run's output, too early (cron schedules
 * only), overlapping and unusually slow or fast runs. "Alert when late"
 * stays with the other checkboxes of the editor, passed in as `children`.
 */
export function PolicyFields({
  value,
  onChange,
  cron,
  errors,
  children,
}: {
  value: PolicyDraft;
  onChange: (patch: Partial<PolicyDraft>) => void;
  /** Whether the schedule is cron or OnCalendar: early tolerance is offered only then. */
  cron: boolean;
  /** By the API's field names, and `factor`, `minDuration`, `maxDuration` of the duration anomaly. */
  errors: Record<string, string | undefined>;
  children?: ReactNode;
}) {
  const mono = { className: 'mono', spellCheck: false, autoComplete: 'off' } as const;
  return (
    <fieldset className="stack policy-fields">
      <legend>Alert policy</legend>
      <div className="policy-pair">
        <Field
          label="Failure threshold"
          hint={`Failed runs in a row before the check goes down (${range(threshold)}).`}
          error={errors.failureThreshold}
        >
          <input
            name="failureThreshold"
            type="number"
            inputMode="numeric"
            min={threshold.min}
            max={threshold.max}
            value={value.failureThreshold}
            onChange={(event) => onChange({ failureThreshold: event.target.value })}
          />
        </Field>
        <Field
          label="Recovery threshold"
          hint={`Successful runs in a row before it is up again (${range(threshold)}).`}
          error={errors.recoveryThreshold}
        >
          <input
            name="recoveryThreshold"
            type="number"
            inputMode="numeric"
            min={threshold.min}
            max={threshold.max}
            value={value.recoveryThreshold}
            onChange={(event) => onChange({ recoveryThreshold: event.target.value })}
          />
        </Field>
      </div>
      {children}
      <Field
        label="Success keywords"
        hint="One per line: a ping whose body contains one (in any case) is a successful run, whatever URL it came to."
        error={errors.successKeywords}
      >
        <textarea
          name="successKeywords"
          rows={2}
          {...mono}
          value={value.successKeywords}
          onChange={(event) => onChange({ successKeywords: event.target.value })}
        />
      </Field>
      <Field
        label="Failure keywords"
        hint="One per line: a ping whose body contains one is a failed run; they win over success keywords."
        error={errors.failureKeywords}
      >
        <textarea
          name="failureKeywords"
          rows={2}
          {...mono}
          value={value.failureKeywords}
          onChange={(event) => onChange({ failureKeywords: event.target.value })}
        />
      </Field>
      <Field
        label="Start keywords"
        hint="One per line: a ping whose body contains one, and no failure or success keyword, starts a run. For jobs that ping by email, whose subject tells start from end."
        error={errors.startKeywords}
      >
        <textarea
          name="startKeywords"
          rows={2}
          {...mono}
          value={value.startKeywords}
          onChange={(event) => onChange({ startKeywords: event.target.value })}
        />
      </Field>
      {cron && (
        <Field
          label="Early tolerance"
          hint="A run that starts more than this before its scheduled time fails, e.g. 10m. Empty: never too early."
          error={errors.earlyTolerance}
        >
          <input
            name="earlyTolerance"
            {...mono}
            value={value.earlyTolerance}
            onChange={(event) => onChange({ earlyTolerance: event.target.value })}
          />
        </Field>
      )}
      <Field
        label="Max concurrent runs"
        hint={`A start that would make more runs open at once fails (${range(maxConcurrentRuns)}). Empty: no limit.`}
        error={errors.maxConcurrentRuns}
      >
        <input
          name="maxConcurrentRuns"
          type="number"
          inputMode="numeric"
          min={maxConcurrentRuns.min}
          max={maxConcurrentRuns.max}
          value={value.maxConcurrentRuns}
          onChange={(event) => onChange({ maxConcurrentRuns: event.target.value })}
        />
      </Field>
      <fieldset className="stack" aria-describedby={errors.durationAnomaly ? 'duration-anomaly-error' : undefined}>
        <legend>Unusual durations</legend>
        <div className="segmented" role="radiogroup" aria-label="Unusual durations">
          {DURATION_MODES.map(([mode, label]) => (
            <label key={mode}>
              <input
                type="radio"
                name="duration-mode"
                value={mode}
                checked={value.durationMode === mode}
                onChange={() => onChange({ durationMode: mode })}
              />
              {label}
            </label>
          ))}
        </div>
        {errors.durationAnomaly && (
          <p className="error field-error" id="duration-anomaly-error">
            {errors.durationAnomaly}
          </p>
        )}
        {value.durationMode === 'auto' && (
          <Field
            label="Factor"
            hint={`Once 10 runs have completed, a run this many times longer or shorter than the median of the last 20 fails (${range(factor)}).`}
            error={errors.factor}
          >
            <input
              name="factor"
              type="number"
              inputMode="decimal"
              min={factor.min}
              max={factor.max}
              step={0.5}
              value={value.factor}
              onChange={(event) => onChange({ factor: event.target.value })}
            />
          </Field>
        )}
        {value.durationMode === 'bounds' && (
          <div className="policy-pair">
            <Field label="Minimum duration" hint="A run shorter than this fails, e.g. 30s. Empty: none." error={errors.minDuration}>
              <input
                name="minDuration"
                {...mono}
                value={value.minDuration}
                onChange={(event) => onChange({ minDuration: event.target.value })}
              />
            </Field>
            <Field label="Maximum duration" hint="A run longer than this fails, e.g. 2h. Empty: none." error={errors.maxDuration}>
              <input
                name="maxDuration"
                {...mono}
                value={value.maxDuration}
                onChange={(event) => onChange({ maxDuration: event.target.value })}
              />
            </Field>
          </div>
        )}
      </fieldset>
    </fieldset>
  );
}
