/**
 * The one retry policy of notification delivery. A notification row holds
 * its attempts and the time of its next one; after a failed attempt this
 * decides that time, or that there is none.
 */

/** How failed deliveries are retried. */
export interface RetryPolicy {
  /** Attempts per notification, the first included. Default: 6. */
  attempts: number;
  /** Milliseconds before the first retry; each later retry waits twice as long as the one before. Default: 20,000. */
  firstRetryMs: number;
}

/** Six attempts over 10 min 20 s: retries after 20 s, 40 s, 80 s, 160 s and 320 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ attempts: 6, firstRetryMs: 20_000 });

/** What failed: `permanent` failures (a 404, a refused address) are never retried. */
export interface FailedAttempt {
  /** Attempts made so far, this one included (1 after the first). */
  attempts: number;
  at: Date;
  permanent: boolean;
  /**
   * Milliseconds the receiver asked us to wait (a 429's `Retry-After`, a
   * vendor's `retry_after`); the next attempt is no sooner. Default: none.
   */
  retryAfterMs?: number | null;
}

/**
 * The longest wait a receiver's retry hint can impose: one hour, so a
 * receiver answering "come back tomorrow" cannot park an alert that long.
 */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * When to try a failed notification again; null when it has failed for
 * good. The policy's backoff, or later when the receiver asked for longer
 * (at most MAX_RETRY_AFTER_MS).
 */
export function nextAttemptAt(policy: RetryPolicy, failed: FailedAttempt): Date | null {
  if (failed.permanent || failed.attempts >= policy.attempts) return null;
  const backoff = policy.firstRetryMs * 2 ** (failed.attempts - 1);
  const asked = Math.min(Math.max(failed.retryAfterMs ?? 0, 0), MAX_RETRY_AFTER_MS);
  return new Date(failed.at.getTime() + Math.max(backoff, asked));
}

/**
 * The kinds of channel Cronbeat delivers to: the stored `channels.kind`, the
 * API's `kind`. One list, so the database, the API contract and the channel
 * modules (packages/notify registers one per kind) cannot disagree.
 */
export const CHANNEL_KINDS = [
  'email',
  'slack',
  'webhook',
  'discord',
  'teams',
  'google-chat',
  'mattermost',
  'rocket-chat',
  'pagerduty',
  'opsgenie',
  'ntfy',
  'telegram',
  'pushover',
  'gotify',
  'matrix',
  'twilio-sms',
  'templated-webhook',
] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/**
 * What a notification tells of its flip, and what a channel can choose to
 * receive: a flip to down, back up, to late, or a reminder that the check is
 * still down. A channel gets all of them unless it says otherwise.
 */
export const CHANNEL_EVENTS = ['down', 'up', 'late', 'still_down'] as const;
export type ChannelEvent = (typeof CHANNEL_EVENTS)[number];
