/**
 * The API's words and limits as plain values, without TypeBox: what the
 * dashboard may import at run time (a status filter, a role menu) without
 * pulling the schema builder into its bundle. The domain's lists come from
 * `@cronbeat/core`; the schemas in this package are built from these.
 */
import {
  FlipReason,
  PingKind,
  parseTimeZone,
  REPORT_PERIODS,
  SCHEDULE_LIMITS,
  STATUSES,
  type Status,
  type StoredPingKind,
} from '@cronbeat/core';

export { SCHEDULE_LIMITS, STATUSES, type Status, type StoredPingKind };

/** What a member may do in a project, from most to least. */
export const ROLES = ['owner', 'admin', 'member', 'readonly'] as const;

export const CHANNEL_KINDS = ['email', 'slack', 'webhook'] as const;

/** How a ping is stored: its kind, or `ignored` when it reached a paused check set to manual resume. */
export const STORED_PING_KINDS = [...Object.values(PingKind), 'ignored'] as const satisfies readonly StoredPingKind[];

export const FLIP_REASONS = Object.values(FlipReason);
export type { FlipReason };

/** How often a person gets an emailed summary of their projects. */
export const REPORT_EVERY = ['off', ...REPORT_PERIODS] as const;

export const API_KEY_ACCESS = ['read-write', 'read-only'] as const;

/** A UUID in its usual text form, any case: ids, ping codes, run ids. */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const uuidRule = new RegExp(UUID_PATTERN);
export const isUuid = (text: string): boolean => uuidRule.test(text);

/** The largest value of a Postgres `integer`: counters and numbers stored in one are bounded by it in requests. */
export const INT32_MAX = 2_147_483_647;

/** Seconds between reminders while a check stays down: 5 minutes to 30 days. */
export const REMIND_LIMITS = { min: 300, max: 2_592_000 } as const;

export const SLUG_PATTERN = '^[a-z0-9][a-z0-9_-]*$';
export const SLUG_MAX_LENGTH = 100;
const slugRule = new RegExp(SLUG_PATTERN, 'u');

/**
 * The API's slug rule, for slugs that arrive outside a request schema (a
 * `?create=1` ping): null when `text` is a slug, else what is wrong with it.
 */
export function slugProblem(text: string): string | null {
  if (text.length <= SLUG_MAX_LENGTH && slugRule.test(text)) return null;
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return `slug must be up to ${SLUG_MAX_LENGTH} lower-case letters, digits, - and _, starting with a letter or digit; got ${JSON.stringify(shown)}`;
}

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
