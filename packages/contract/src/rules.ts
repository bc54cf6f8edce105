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
