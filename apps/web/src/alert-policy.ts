/**
 * A check's alert policy as the editor holds it (text as typed) and as the
 * API takes it, and the policies in words for the check page. The ranges
 * are the server's to judge: its 400s are shown beside each field; here
 * only what cannot be sent at all (a duration that is no duration, a
 * threshold that is no whole number) is caught.
 */
import { RUN_POLICY_LIMITS } from '@cronbeat/contract';
import { parseDuration } from 'cronbeat/duration';
import { formatDuration } from './durations';
import { duration } from './time';
import type { Check, CheckInput } from './types';

export type DurationMode = 'off' | 'auto' | 'bounds';

export interface PolicyDraft {
  /** As typed. */
  failureThreshold: string;
  recoveryThreshold: string;
  /** One keyword per line. */
  successKeywords: string;
  failureKeywords: string;
  startKeywords: string;
  /** A duration as typed; empty: off. Cron checks only. */
  earlyTolerance: string;
  /** Empty: no limit. */
  maxConcurrentRuns: string;
  durationMode: DurationMode;
  factor: string;
  /** Durations as typed; empty: no bound on that side. */
  minDuration: string;
  maxDuration: string;
}

export { RUN_POLICY_LIMITS };

/** The `auto` factor the API fills in when none is given. */
const DEFAULT_FACTOR = RUN_POLICY_LIMITS.factor.default;

export const EMPTY_POLICY: PolicyDraft = {
  failureThreshold: '1',
  recoveryThreshold: '1',
  successKeywords: '',
  failureKeywords: '',
  startKeywords: '',
  earlyTolerance: '',
  maxConcurrentRuns: '',
  durationMode: 'off',
  factor: String(DEFAULT_FACTOR),
  minDuration: '',
  maxDuration: '',
};

export function policyDraftOf(check: Check): PolicyDraft {
  const anomaly = check.durationAnomaly;
  return {
    failureThreshold: String(check.failureThreshold),
    recoveryThreshold: String(check.recoveryThreshold),
    successKeywords: check.successKeywords.join('\n'),
    failureKeywords: check.failureKeywords.join('\n'),
    startKeywords: check.startKeywords.join('\n'),
    earlyTolerance: check.earlyTolerance === null ? '' : formatDuration(check.earlyTolerance),
    maxConcurrentRuns: check.maxConcurrentRuns === null ? '' : String(check.maxConcurrentRuns),
    durationMode: anomaly?.mode ?? 'off',
    factor: String(anomaly?.mode === 'auto' ? anomaly.factor : DEFAULT_FACTOR),
    minDuration: anomaly?.mode === 'bounds' && anomaly.minDuration !== null ? formatDuration(anomaly.minDuration) : '',
    maxDuration: anomaly?.mode === 'bounds' && anomaly.maxDuration !== null ? formatDuration(anomaly.maxDuration) : '',
  };
}

const WHOLE = /^\s*-?\d+\s*$/;
const wholeError = (text: string, optional: boolean) =>
  optional && text.trim() === '' ? undefined : WHOLE.test(text) ? undefined : 'must be a whole number';

function secondsError(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    return Number.isInteger(parseDuration(text)) ? undefined : 'must be whole seconds';
  } catch {
    return `"${text.trim()}" is not a duration: a number and a unit, e.g. 30s, 10m, 2h`;
  }
}

/** What cannot be sent as typed, by the API's field names (`factor`, `minDuration`, `maxDuration` inside `durationAnomaly`). */
export function policyTypedErrors(draft: PolicyDraft, cron: boolean): Record<string, string | undefined> {
  const bounds = draft.durationMode === 'bounds';
  return {
    failureThreshold: wholeError(draft.failureThreshold, false),
    recoveryThreshold: wholeError(draft.recoveryThreshold, false),
    earlyTolerance: cron ? secondsError(draft.earlyTolerance) : undefined,
    maxConcurrentRuns: wholeError(draft.maxConcurrentRuns, true),
    factor: draft.durationMode === 'auto' && !Number.isFinite(Number(draft.factor.trim() || Number.NaN)) ? 'must be a number' : undefined,
    minDuration: bounds ? secondsError(draft.minDuration) : undefined,
    maxDuration: bounds ? secondsError(draft.maxDuration) : undefined,
    durationAnomaly:
      bounds && draft.minDuration.trim() === '' && draft.maxDuration.trim() === '' ? 'give a minimum, a maximum or both' : undefined,
  };
}

const keywordsOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
const optionalSeconds = (text: string) => (text.trim() === '' ? null : parseDuration(text));

type PolicyInput = Pick<
  CheckInput,
  | 'failureThreshold'
  | 'recoveryThreshold'
  | 'successKeywords'
  | 'failureKeywords'
  | 'startKeywords'
  | 'earlyTolerance'
  | 'maxConcurrentRuns'
  | 'durationAnomaly'
>;

/** The API's fields of a draft already checked by `policyTypedErrors`; a period check sends no early tolerance (null: off). */
export function policyInputOf(draft: PolicyDraft, cron: boolean): PolicyInput {
  return {
    failureThreshold: Number(draft.failureThreshold),
    recoveryThreshold: Number(draft.recoveryThreshold),
    successKeywords: keywordsOf(draft.successKeywords),
    failureKeywords: keywordsOf(draft.failureKeywords),
    startKeywords: keywordsOf(draft.startKeywords),
    earlyTolerance: cron ? optionalSeconds(draft.earlyTolerance) : null,
    maxConcurrentRuns: draft.maxConcurrentRuns.trim() === '' ? null : Number(draft.maxConcurrentRuns),
    durationAnomaly:
      draft.durationMode === 'auto'
        ? { mode: 'auto', factor: Number(draft.factor) }
        : draft.durationMode === 'bounds'
          ? { mode: 'bounds', minDuration: optionalSeconds(draft.minDuration), maxDuration: optionalSeconds(draft.maxDuration) }
          : null,
  };
}

/**
 * The API's field errors keyed as the editor shows them: a keyword's error
 * (`failureKeywords.2`) beside its list, the duration anomaly's own fields
 * (`durationAnomaly.factor`) beside theirs.
 */
export function editorFieldErrors(fields: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [field, message] of Object.entries(fields)) {
    const [head, tail] = [field.split('.')[0]!, field.split('.').slice(1).join('.')];
    if ((head === 'successKeywords' || head === 'failureKeywords' || head === 'startKeywords') && /^\d+$/.test(tail)) {
      shown[head] ??= `keyword ${Number(tail) + 1}: ${message}`;
    } else if (head === 'durationAnomaly' && ['factor', 'minDuration', 'maxDuration'].includes(tail)) shown[tail] = message;
    else if (head === 'durationAnomaly') shown.durationAnomaly ??= tail ? `${tail}: ${message}` : message;
    else shown[field] = message;
  }
  return shown;
}

const quoted = (keywords: readonly string[]) => keywords.map((keyword) => `“${keyword}”`).join(' or ');

/** The check's policies that are on, one short line each, in the words of its alerts. */
export function policyLines(check: Check): string[] {
  const lines: string[] = [];
  if (check.failureThreshold > 1) lines.push(`Goes down after ${check.failureThreshold} failed runs in a row`);
  if (check.recoveryThreshold > 1) lines.push(`Comes back up after ${check.recoveryThreshold} successful runs in a row`);
  if (check.alertOnLate) lines.push('Alerts when late, before the grace time runs out');
  if (check.failureKeywords.length > 0) lines.push(`A run fails when its output contains ${quoted(check.failureKeywords)}`);
  if (check.successKeywords.length > 0) lines.push(`A run succeeds when its output contains ${quoted(check.successKeywords)}`);
  if (check.startKeywords.length > 0) lines.push(`A ping starts a run when its body contains ${quoted(check.startKeywords)}`);
  if (check.earlyTolerance !== null) lines.push(`A run fails when it starts more than ${duration(check.earlyTolerance)} early`);
  if (check.maxConcurrentRuns !== null) {
    lines.push(
      `A run fails when it starts while ${check.maxConcurrentRuns === 1 ? 'another is' : `${check.maxConcurrentRuns} are`} running`,
    );
  }
  const anomaly = check.durationAnomaly;
  if (anomaly?.mode === 'auto') {
    lines.push(`A run fails when it takes ${anomaly.factor} × longer or shorter than its usual (the median of recent runs)`);
  } else if (anomaly?.mode === 'bounds') {
    const sides = [
      anomaly.minDuration !== null && `under ${duration(anomaly.minDuration)}`,
      anomaly.maxDuration !== null && `over ${duration(anomaly.maxDuration)}`,
    ].filter(Boolean);
    lines.push(`A run fails when it takes ${sides.join(' or ')}`);
  }
  return lines;
}

/** "Failing 2 of 3" while failed runs count towards the threshold; "Recovering 1 of 3" while a down check counts successes. */
export function thresholdProgress(check: Check): string | null {
  if (check.status === 'down') {
    return check.recoveryThreshold > 1 && check.successes > 0 ? `Recovering ${check.successes} of ${check.recoveryThreshold}` : null;
  }
  return check.failures > 0 && check.failureThreshold > 1 ? `Failing ${check.failures} of ${check.failureThreshold}` : null;
}
