import { slugProblem } from '@cronbeat/contract';
import { type Db, ensureSlugCheck, type SlugRef } from '@cronbeat/db';
import type { CreateRate } from './create-rate';

/**
 * What `?create=1` made of a slug that led to no check: the check (found,
 * when something made it meanwhile, or created), or why none was made, in a
 * message the caller answers in its own medium (plain text for pings, the
 * API's JSON for the run lock).
 */
export type SlugCheckCreation =
  | { outcome: 'found' | 'created'; checkId: string; pingCode: string }
  /** The slug breaks the slug rule: a 400. */
  | { outcome: 'bad-slug'; message: string }
  /** The ping key made too many checks this minute: a 429 after `retryAfter` seconds. */
  | { outcome: 'rate-limited'; retryAfter: number; message: string }
  /** The project's limit on checks made by `?create=1`: a 403. */
  | { outcome: 'limit-reached'; message: string }
  /** No project has the ping key: a 404. */
  | { outcome: 'no-project' };

/**
 * The `?create=1` step, shared by the ping routes and the run lock so both
 * follow one rule and draw on one `createRate` bucket per ping key (a bucket
 * each would double the rate): the slug rule, the rate, then the check made
 * in a transaction of its own (`ensureSlugCheck`, which holds the project's
 * limit). A creation that made nothing is given back to the bucket.
 */
export async function createSlugCheck(db: Db, createRate: CreateRate, slug: SlugRef): Promise<SlugCheckCreation> {
  const problem = slugProblem(slug.slug);
  if (problem) return { outcome: 'bad-slug', message: problem };
  const wait = createRate.take(slug.pingKey);
  if (wait > 0) {
    return {
      outcome: 'rate-limited',
      retryAfter: wait,
      message: `too many checks created with this ping key (at most ${createRate.perMinute} a minute); try again in ${wait} s`,
    };
  }
  const check = await ensureSlugCheck(db, slug);
  if (check?.outcome !== 'created') createRate.refund(slug.pingKey);
  if (!check) return { outcome: 'no-project' };
  if (check.outcome === 'limit-reached') {
    const reached =
      check.limit === 0
        ? 'this project does not let ?create=1 make checks (its limit is 0)'
        : `this project already has ${check.limit} checks made by ?create=1, its limit`;
    return {
      outcome: 'limit-reached',
      message: `${reached}: create the check in the dashboard or the API, or raise the limit in the project's settings`,
    };
  }
  return check;
}
