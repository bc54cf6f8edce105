import { type DurationAnomalyInput, RUN_POLICY_RULES, type RunPolicySetting } from '@cronbeat/contract';
import { type DurationAnomaly, RUN_POLICY_LIMITS, type RunPolicy, type Schedule } from '@cronbeat/core';
import type { FastifySchemaValidationError } from 'fastify';
import { FieldError } from '../../../errors';

type PolicyInput = { [Setting in RunPolicySetting]?: Setting extends 'durationAnomaly' ? DurationAnomalyInput | null : RunPolicy[Setting] };

const FIELDS_OF_MODE = { auto: ['mode', 'factor'], bounds: ['mode', 'minDuration', 'maxDuration'] } as const;

const durationAnomalyError = (problem: string) =>
  new FieldError('durationAnomaly', `${problem}; it must be ${RUN_POLICY_RULES.durationAnomaly}`);

/** A duration anomaly as written (the schema checked each field's type and range) as core's setting, its default factor filled in. */
function requestedDurationAnomaly(input: DurationAnomalyInput | null): DurationAnomaly | null {
  if (input === null) return null;
  const known: readonly string[] = FIELDS_OF_MODE[input.mode];
  const stray = Object.keys(input).find((field) => !known.includes(field));
  if (stray !== undefined) throw durationAnomalyError(`${stray} does not apply to mode "${input.mode}"`);
  if (input.mode === 'auto') return { mode: 'auto', factor: input.factor ?? RUN_POLICY_LIMITS.factor.default };
  const minDuration = input.minDuration ?? null;
  const maxDuration = input.maxDuration ?? null;
  if (minDuration === null && maxDuration === null) throw durationAnomalyError('bounds mode needs minDuration, maxDuration or both');
  if (minDuration !== null && maxDuration !== null && minDuration >= maxDuration) {
    throw durationAnomalyError(`minDuration (${minDuration}) must be below maxDuration (${maxDuration})`);
  }
  return { mode: 'bounds', minDuration, maxDuration };
}

/**
 * The alert policy a create or edit asks for: `current` with the settings
 * the request gives, checked across fields against the schedule the check
 * will have (the schema has checked each field alone). A check whose
 * schedule becomes a period keeps no early tolerance: that is refused, not
 * dropped, so nobody loses a setting without being told.
 */
export function requestedRunPolicy(input: PolicyInput, current: RunPolicy, schedule: Schedule): RunPolicy {
  const policy: RunPolicy = {
    failureThreshold: input.failureThreshold ?? current.failureThreshold,
    recoveryThreshold: input.recoveryThreshold ?? current.recoveryThreshold,
    successKeywords: input.successKeywords ?? current.successKeywords,
    failureKeywords: input.failureKeywords ?? current.failureKeywords,
    startKeywords: input.startKeywords ?? current.startKeywords,
    earlyTolerance: input.earlyTolerance === undefined ? current.earlyTolerance : input.earlyTolerance,
    maxConcurrentRuns: input.maxConcurrentRuns === undefined ? current.maxConcurrentRuns : input.maxConcurrentRuns,
    durationAnomaly: input.durationAnomaly === undefined ? current.durationAnomaly : requestedDurationAnomaly(input.durationAnomaly),
  };
  if (policy.earlyTolerance !== null && schedule.kind === 'period') {
    throw new FieldError(
      'earlyTolerance',
      input.earlyTolerance === undefined
        ? 'earlyTolerance applies to cron and OnCalendar schedules only: this check has one, so set earlyTolerance to null to give it a period'
        : 'earlyTolerance applies to cron and OnCalendar schedules only; give cron or onCalendar too, or null',
    );
  }
  return policy;
}

const isPolicySetting = (field: string): field is RunPolicySetting => Object.hasOwn(RUN_POLICY_RULES, field);

/**
 * Fastify's `schemaErrorFormatter` for the routes that write checks: a
 * schema error about an alert policy setting (its type, a bound, a keyword's
 * length, a duration anomaly's fields) is answered with the setting's whole
 * rule, so a 400 for `failureThreshold: 0` says "from 1 to 100", not only
 * ">= 1". Other errors go on to the error handler as they are.
 */
export function policySchemaErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const [first] = errors;
  const field = first?.instancePath.split('/')[1];
  if (dataVar === 'body' && field !== undefined && isPolicySetting(field)) {
    return new FieldError(field, `must be ${RUN_POLICY_RULES[field]}`);
  }
  return new Error(`${dataVar} is not valid`);
}
