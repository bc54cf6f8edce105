/**
 * What a `?create=1` ping to a slug no check has may make: a check on the
 * project's default schedule, named by its slug, while the project's limit
 * on checks made this way is not reached.
 */

/** A project's settings for checks made by pings. */
export interface AutoCreatePolicy {
  /** Period of a check made this way, in seconds (the project's default). */
  defaultPeriod: number;
  /** Grace of a check made this way, in seconds (the project's default). */
  defaultGrace: number;
  /** Most checks pings may make in the project; 0 lets them make none. */
  limit: number;
  /** Whether a check made this way alerts every channel of the project. */
  attachChannels: boolean;
}

/** The check to make, or the limit that forbids it. */
export type AutoCreateDecision =
  | {
      create: true;
      check: { name: string; slug: string; period: number; grace: number; autoCreated: true };
      attachChannels: boolean;
    }
  | { create: false; limit: number };

/**
 * Whether a ping may make the check `slug`, given how many checks pings
 * have made in its project so far (checks the API made do not count).
 */
export function autoCreateCheck(policy: AutoCreatePolicy, slug: string, madeByPings: number): AutoCreateDecision {
  if (madeByPings >= policy.limit) return { create: false, limit: policy.limit };
  return {
    create: true,
    check: { name: slug, slug, period: policy.defaultPeriod, grace: policy.defaultGrace, autoCreated: true },
    attachChannels: policy.attachChannels,
  };
}
