/**
 * The alert-policy values stored as JSON (`checks.run_record`,
 * `checks.duration_anomaly`, `flips.runs`), read and written in one place:
 * dates travel as ISO strings, and anything missing or malformed reads as
 * empty rather than failing a ping or a sweep.
 */
import {
  type DurationAnomaly,
  EMPTY_RUN_RECORD,
  type FailedRun,
  type FlipRuns,
  type OpenRun,
  RUN_POLICY_LIMITS,
  type RunRecord,
} from '@cronbeat/core';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const dateOf = (value: unknown): Date | undefined => (typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined);
const numberOf = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** A failed run as JSON: its set fields, dates as ISO strings. */
export function failedRunToJson(run: FailedRun): Json {
  const json: Json = {};
  for (const [key, value] of Object.entries(run)) {
    if (value !== undefined) json[key] = value instanceof Date ? value.toISOString() : value;
  }
  return json;
}

function failedRunFromJson(json: unknown): FailedRun | null {
  if (!isObject(json) || typeof json.reason !== 'string') return null;
  const at = dateOf(json.at);
  if (!at) return null;
  const run: FailedRun = { reason: json.reason as FailedRun['reason'], at };
  if (json.exitStatus !== undefined) run.exitStatus = numberOf(json.exitStatus) ?? null;
  if (typeof json.keyword === 'string') run.keyword = json.keyword;
  const scheduled = dateOf(json.scheduled);
  if (scheduled) run.scheduled = scheduled;
  const startedAt = dateOf(json.startedAt);
  if (startedAt) run.startedAt = startedAt;
  if (json.openRid !== undefined) run.openRid = typeof json.openRid === 'string' ? json.openRid : null;
  for (const key of ['duration', 'median', 'limit'] as const) {
    const value = numberOf(json[key]);
    if (value !== undefined) run[key] = value;
  }
  return run;
}

const failedRunsFromJson = (json: unknown): FailedRun[] => arrayOf(json).flatMap((run) => failedRunFromJson(run) ?? []);

function openRunFromJson(json: unknown): OpenRun | null {
  if (!isObject(json)) return null;
  const at = dateOf(json.at);
  return at ? { rid: typeof json.rid === 'string' ? json.rid : null, at, counted: json.counted === true } : null;
}

/** `checks.run_record` as core's `RunRecord`. */
export function runRecordFromJson(value: unknown): RunRecord {
  const json = parsed(value);
  if (!isObject(json)) return EMPTY_RUN_RECORD;
  return {
    failures: failedRunsFromJson(json.failures),
    successes: numberOf(json.successes) ?? 0,
    openRuns: arrayOf(json.openRuns).flatMap((run) => openRunFromJson(run) ?? []),
    durations: arrayOf(json.durations)
      .flatMap((duration) => numberOf(duration) ?? [])
      .slice(-RUN_POLICY_LIMITS.history.kept),
  };
}

/** A `RunRecord` as stored: only what it holds, so most checks store `{}` or just their durations. */
export function runRecordToJson(record: RunRecord): Json {
  const json: Json = {};
  if (record.failures.length > 0) json.failures = record.failures.map(failedRunToJson);
  if (record.successes > 0) json.successes = record.successes;
  if (record.openRuns.length > 0) json.openRuns = record.openRuns.map((run) => ({ ...run, at: run.at.toISOString() }));
  if (record.durations.length > 0) json.durations = record.durations;
  return json;
}

/** `flips.runs` as core's `FlipRuns`; null for flips not caused by runs. */
export function flipRunsFromJson(value: unknown): FlipRuns | null {
  const json = parsed(value);
  if (!isObject(json)) return null;
  const runs: FlipRuns = {};
  if (json.failures !== undefined) runs.failures = failedRunsFromJson(json.failures);
  for (const key of ['failureThreshold', 'successes', 'recoveryThreshold'] as const) {
    const number = numberOf(json[key]);
    if (number !== undefined) runs[key] = number;
  }
  return runs;
}

/** `FlipRuns` as stored in `flips.runs` and shown by the API, or null. */
export function flipRunsToJson(runs: FlipRuns | null): Json | null {
  if (runs === null) return null;
  const json: Json = { ...runs };
  if (runs.failures) json.failures = runs.failures.map(failedRunToJson);
  return json;
}

/** `checks.duration_anomaly` as core's `DurationAnomaly`; null when off. */
export function durationAnomalyFromJson(value: unknown): DurationAnomaly | null {
  const json = parsed(value);
  if (!isObject(json)) return null;
  if (json.mode === 'auto') return { mode: 'auto', factor: numberOf(json.factor) ?? RUN_POLICY_LIMITS.factor.default };
  if (json.mode === 'bounds') {
    return { mode: 'bounds', minDuration: numberOf(json.minDuration) ?? null, maxDuration: numberOf(json.maxDuration) ?? null };
  }
  return null;
}
