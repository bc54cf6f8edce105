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

export * from './rules';
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
