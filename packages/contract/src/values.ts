/**
 * The API's words and limits as plain values, without TypeBox: what the
 * dashboard may import at run time (a status filter, a role menu) without
 * pulling the schema builder into its bundle. The domain's lists come from
 * `@cronbeat/core`; the schemas in this package are built from these.
 */
import {
  CHANNEL_EVENTS,
  CHANNEL_KINDS,
  FlipReason,
  PING_METHOD_SETTINGS,
  PingKind,
  parseTimeZone,
  REPORT_PERIODS,
  RUN_POLICY_LIMITS,
  RunFailure,
  SCHEDULE_LIMITS,
  STATUSES,
  type Status,
  type StoredPingKind,
} from '@cronbeat/core';

export * from './rules';
// CHANNEL_KINDS: each kind has its config schema in packages/notify; CHANNEL_EVENTS: what a channel can choose to get.
// PING_METHOD_SETTINGS: a check's `methods`, '' (any) or 'POST' (GET and HEAD are stored as ignored).
export {
  CHANNEL_EVENTS,
  CHANNEL_KINDS,
  PING_METHOD_SETTINGS,
  RUN_POLICY_LIMITS,
  SCHEDULE_LIMITS,
  STATUSES,
  type Status,
  type StoredPingKind,
};

/** What a member may do in a project, from most to least. */
export const ROLES = ['owner', 'admin', 'member', 'readonly'] as const;

/**
 * How a ping is stored: its kind, `ignored` when it reached a paused check set to manual resume
 * (or came by a method the check does not take), `skipped` when a runner found the run lock held.
 */
export const STORED_PING_KINDS = [...Object.values(PingKind), 'ignored', 'skipped'] as const satisfies readonly StoredPingKind[];

// The run lock's limits and renewal pace (the client's), and the holder a skipped ping names (the ping log shows it).
export { RUN_LOCK_LIMITS, readSkippedPing, renewEveryMs } from '@cronbeat/core';

export const FLIP_REASONS = Object.values(FlipReason);
export type { FlipReason };

/** Why a run counted as failed, in a flip's `runs`. */
export const RUN_FAILURES = Object.values(RunFailure);
export type { RunFailure };

/** How often a person gets an emailed summary of their projects. */
export const REPORT_EVERY = ['off', ...REPORT_PERIODS] as const;

export const API_KEY_ACCESS = ['read-write', 'read-only'] as const;

/**
 * The runtime's canonical name of a typed zone ("utc" → "UTC"), or null when
 * it knows no such zone: the server's rule (`parseTimeZone`), for forms that
 * check a zone as it is typed.
 */
export function canonicalZone(text: string): string | null {
  const name = text.trim();
  if (name === '') return null;
  try {
    return parseTimeZone(name);
  } catch {
    return null;
  }
}

const { threshold, keywords, earlyTolerance, maxConcurrentRuns, factor, duration } = RUN_POLICY_LIMITS;
const keywordList = `a list of at most ${keywords.maxItems} keywords, each 1 to ${keywords.maxLength} characters and not only spaces`;

/**
 * What each alert policy setting of a check accepts, in words: the API's
 * descriptions and its 400s say it, and a form may show it beside the field.
 */
export const RUN_POLICY_RULES = {
  failureThreshold: `a whole number from ${threshold.min} to ${threshold.max}`,
  recoveryThreshold: `a whole number from ${threshold.min} to ${threshold.max}`,
  successKeywords: keywordList,
  failureKeywords: keywordList,
  startKeywords: keywordList,
  earlyTolerance: `null (off) or whole seconds from ${earlyTolerance.min} to ${earlyTolerance.max} (1 day), for a cron schedule only`,
  maxConcurrentRuns: `null (off) or a whole number from ${maxConcurrentRuns.min} to ${maxConcurrentRuns.max}`,
  durationAnomaly:
    `null (off), {"mode": "auto", "factor": ${factor.min} to ${factor.max} (optional, default ${factor.default})} ` +
    `or {"mode": "bounds", "minDuration": seconds or null, "maxDuration": seconds or null} with whole seconds from ` +
    `${duration.min} to ${duration.max} (7 days), at least one of them set and minDuration below maxDuration`,
} as const;
export type RunPolicySetting = keyof typeof RUN_POLICY_RULES;
