/**
 * A check's alert policy as the API writes and answers it: failure and
 * recovery thresholds, keywords, too early, overlapping runs and unusual
 * durations. The limits and rules come from `@cronbeat/core` (via
 * `values.ts`); `checks.ts` puts these fields into the check's shapes.
 */
import { Type } from 'typebox';
import { nullableInteger } from './common';
import { RUN_POLICY_LIMITS, RUN_POLICY_RULES } from './values';

const { threshold, keywords, earlyTolerance, maxConcurrentRuns, factor, duration } = RUN_POLICY_LIMITS;

const Keyword = Type.String({ minLength: 1, maxLength: keywords.maxLength, pattern: '\\S', description: 'not only spaces' });
const keywordList = (description: string) => Type.Array(Keyword, { maxItems: keywords.maxItems, description });
const DurationBound = (side: string) =>
  Type.Unsafe<number | null>({
    type: ['integer', 'null'],
    minimum: duration.min,
    maximum: duration.max,
    description: `bounds mode: seconds; a run ${side} fails (${duration.min} … ${duration.max}); null: no bound on this side`,
  });

/** A duration anomaly setting as written: `factor` may be left out (the default), and a bounds side left out is null. */
export interface DurationAnomalyInput {
  mode: 'auto' | 'bounds';
  factor?: number;
  minDuration?: number | null;
  maxDuration?: number | null;
}

/**
 * One object type with the fields of both modes, not a union of two:
 * Fastify's Ajv removes properties a union's first branch does not know
 * before trying the next (so bounds would lose their durations), and the
 * server refuses fields of the other mode itself.
 */
const DurationAnomalyWrite = Type.Unsafe<DurationAnomalyInput | null>({
  type: ['object', 'null'],
  required: ['mode'],
  properties: {
    mode: { type: 'string', enum: ['auto', 'bounds'], description: 'auto: against the median of the last 20 runs; bounds: fixed limits' },
    factor: {
      type: 'number',
      minimum: factor.min,
      maximum: factor.max,
      description: `auto mode: a run slower than factor × the median, or faster than the median ÷ factor, fails (${factor.min} … ${factor.max}). Default: ${factor.default}`,
    },
    minDuration: DurationBound('shorter than this'),
    maxDuration: DurationBound('longer than this'),
  },
  description:
    `unusually slow or fast runs fail (reason slow or fast): ${RUN_POLICY_RULES.durationAnomaly}. ` +
    'auto judges once the check has 10 completed runs. Default: null',
});

/** A check's alert policy fields as written (create and edit): thresholds, keywords, early, overlap, durations. */
export const policyEditable = {
  failureThreshold: Type.Integer({
    minimum: threshold.min,
    maximum: threshold.max,
    description: `failed runs in a row before the check goes down (${threshold.min} … ${threshold.max}). Default: 1`,
  }),
  recoveryThreshold: Type.Integer({
    minimum: threshold.min,
    maximum: threshold.max,
    description: `successful runs in a row before a down check is up again (${threshold.min} … ${threshold.max}). Default: 1`,
  }),
  successKeywords: keywordList(
    `a ping whose body contains one of these (case-insensitive) is a successful run, whatever URL it came to: ${RUN_POLICY_RULES.successKeywords}. Default: []`,
  ),
  failureKeywords: keywordList(
    `a ping whose body contains one of these (case-insensitive) is a failed run, whatever URL it came to; wins over a success keyword: ${RUN_POLICY_RULES.failureKeywords}. Default: []`,
  ),
  startKeywords: keywordList(
    `a success ping (a bare ping URL, an email, exit status 0) whose body (for an email ping: its subject and text) contains one of these (case-insensitive) starts a run instead; a failure or log ping stays what it is, and failure and success keywords win over it: ${RUN_POLICY_RULES.startKeywords}. Default: []`,
  ),
  earlyTolerance: nullableInteger(
    earlyTolerance,
    `seconds: a run that starts (or, without a start ping, ends) more than this before its scheduled time fails (reason early). Cron and OnCalendar schedules only (${earlyTolerance.min} … ${earlyTolerance.max}); null: off. Default: null`,
  ),
  maxConcurrentRuns: nullableInteger(
    maxConcurrentRuns,
    `a start ping that would make more runs open at once than this fails (reason overlap) (${maxConcurrentRuns.min} … ${maxConcurrentRuns.max}); null: off. Default: null`,
  ),
  durationAnomaly: DurationAnomalyWrite,
};

/** A check's duration anomaly setting as answered. */
export const DurationAnomaly = Type.Union(
  [
    Type.Null(),
    Type.Object({ mode: Type.Literal('auto'), factor: Type.Number() }),
    Type.Object({
      mode: Type.Literal('bounds'),
      minDuration: Type.Union([Type.Integer(), Type.Null()], { description: 'seconds' }),
      maxDuration: Type.Union([Type.Integer(), Type.Null()], { description: 'seconds' }),
    }),
  ],
  { description: 'unusually slow or fast runs fail; null: off' },
);
