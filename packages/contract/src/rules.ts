/**
 * The API's rules for single values, importing nothing: what the client's
 * CLI checks before it asks the server (a ping code, a run id), without
 * loading the domain or the schema builder at start-up.
 */

/** A UUID in its usual text form, any case: ids, ping codes, run ids. */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const uuidRule = new RegExp(UUID_PATTERN);
export const isUuid = (text: string): boolean => uuidRule.test(text);

/** The largest value of a Postgres `integer`: counters and numbers stored in one are bounded by it in requests. */
export const INT32_MAX = 2_147_483_647;

/** Seconds between reminders while a check stays down: 5 minutes to 30 days. */
export const REMIND_LIMITS = { min: 300, max: 2_592_000 } as const;

/** Healthchecks' slug rule, so a slug from there (an import, a `?create=1` URL) is one here: `a-z`, `0-9`, `-` and `_`. */
export const SLUG_PATTERN = '^[a-z0-9_-]+$';
export const SLUG_MAX_LENGTH = 100;
const slugRule = new RegExp(SLUG_PATTERN, 'u');

/**
 * The API's slug rule, for slugs that arrive outside a request schema (a
 * `?create=1` ping): null when `text` is a slug, else what is wrong with it.
 */
export function slugProblem(text: string): string | null {
  if (text.length <= SLUG_MAX_LENGTH && slugRule.test(text)) return null;
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return `slug must be 1 to ${SLUG_MAX_LENGTH} of a-z, 0-9, - and _; got ${JSON.stringify(shown)}`;
}
