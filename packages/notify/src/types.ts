import type { ChannelKind, FlipReason, FlipRuns, Schedule, Status } from '@cronbeat/core';

/** Channel kinds Cronbeat can deliver to (core's CHANNEL_KINDS, the `channels.kind` column); each has its module here. */
export type { ChannelKind };

/** Everything a message about one flip says. Built by the worker from stored rows; pure data. */
export interface Alert {
  /**
   * The notification's id: the idempotency key of this delivery. Every
   * attempt at one notification carries the same, so a receiver can drop a
   * repeat sent after a worker died mid-send. A test alert has a fresh one.
   */
  deliveryId: string;
  check: {
    id: string;
    name: string;
    slug: string | null;
    projectName: string;
    schedule: Schedule;
    /** Seconds. */
    grace: number;
    /** Seconds; null means the grace time. */
    maxRuntime: number | null;
    lastPing: Date | null;
    /** Start of the run that timed out, for `timed_out` flips. */
    lastStart: Date | null;
    /** Link to the check in the dashboard. */
    url: string;
    /**
     * IANA zone the message shows wall-clock times in: the check's `tz`.
     * Default: the cron schedule's zone, else UTC.
     */
    tz?: string;
    /** The check's tags, shown in emails and Slack. Default: none. */
    tags?: readonly string[];
    /** The check's limit of runs open at once, named by `overlap` messages. Default: not named. */
    maxConcurrentRuns?: number | null;
  };
  flip: {
    id: number;
    from: Status;
    to: Status;
    reason: FlipReason;
    at: Date;
    exitStatus: number | null;
    /**
     * The runs that caused the flip (alert policies): the failed runs in a
     * row that took the check down, or the successful runs that brought it
     * back. Default: none (flips not caused by runs, and test alerts).
     */
    runs?: FlipRuns | null;
  };
  /** The check's latest ping at the time of the flip, with the tail of its body (the job's output). */
  ping: { at: Date; kind: string; exitStatus: number | null; bodyTail: string | null } | null;
  /** When the incident began, for recovery messages. */
  downSince: Date | null;
  /** For a reminder that the check is still down (the flip is the incident's start): when it was made. */
  reminderAt: Date | null;
  /**
   * For an alert held back because a maintenance window was in force at the
   * flip, and sent when the window ended with the check still as the flip
   * left it: the window (`name` null once the window was deleted) and when
   * the alert was released. Default: not held.
   */
  maintenance?: { windowId: string | null; name: string | null; releasedAt: Date } | null;
  /**
   * For an alert held back because checks this one depends on were down at
   * the flip (reason `dependency`), sent once they were back: those checks,
   * each with its status now, and when the alert was released. Default: not held.
   */
  dependency?: { parents: readonly DependencyParent[]; releasedAt: Date } | null;
  /**
   * Checks depending on this one that are down as the alert is sent, by
   * name: a DOWN alert lists them as down with it, an UP alert as still
   * down. Default: none.
   */
  dependents?: readonly DownDependent[];
  /**
   * For the one message a channel gets when many checks of a project went
   * down in one sweep pass: every check of the group, this alert's own
   * included, oldest flip first. Webhooks ignore it (one event per check).
   * Default: not grouped.
   */
  group?: readonly GroupedCheck[] | null;
}

/** A check this alert's check depends on. */
export interface DependencyParent {
  id: string;
  name: string;
  /** Its status as the alert is sent. */
  status: Status;
}

/** A check depending on the alert's check, down as the alert is sent. */
export interface DownDependent {
  id: string;
  name: string;
  /** When it went down; null when not known. */
  since: Date | null;
  /** Link to it in the dashboard. */
  url: string;
}

/** One check of a grouped alert: what its own message would have said of it. */
export interface GroupedCheck {
  check: Alert['check'];
  flip: Alert['flip'];
  /** Checks depending on it that are down too. Default: none. */
  dependents?: readonly DownDependent[];
}

/** What every channel needs from the process, read once from the config. */
export interface NotifyEnv {
  /** SMTP server (smtp:// or smtps://); email channels fail permanently without it. */
  smtpUrl: string | null;
  /** From address of alert emails. */
  emailFrom: string;
  /** Milliseconds a delivery step may take: an HTTP request, or each SMTP step. Default: 10,000. */
  httpTimeoutMs?: number;
  /**
   * CIDR ranges of private, loopback, link-local and other non-public
   * addresses that channels may nevertheless reach (config
   * `privateTargetsAllowed`, from ALLOW_PRIVATE_TARGETS). Default: none, so
   * alerts go to public addresses only.
   */
  privateTargetsAllowed?: readonly string[];
}

/**
 * A failed delivery. `permanent` failures (bad address, 404 webhook, revoked
 * Slack token) are not retried; everything else is worth another attempt.
 */
/** What a receiver answered a delivery it accepted, for the delivery log. */
export interface SendReceipt {
  /** The HTTP status of the last request the send made; null for email. */
  statusCode: number | null;
  /** The SMTP server's reply line; null for HTTP channels. */
  reply: string | null;
}

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  /** Milliseconds the receiver asked us to wait before trying again (a 429's `Retry-After`, a vendor's `retry_after`). */
  readonly retryAfterMs: number | null;
  /** The receiver's HTTP status, when it answered one; kept in the delivery log. */
  readonly statusCode: number | null;
  /** The SMTP server's reply line (code and text), when it refused; kept in the delivery log. */
  readonly reply: string | null;
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: ErrorOptions & { retryAfterMs?: number | null; statusCode?: number | null; reply?: string | null },
  ) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs ?? null;
    this.statusCode = options?.statusCode ?? null;
    this.reply = options?.reply ?? null;
  }
}

/** Input a channel's config cannot accept; maps to a 400 at the HTTP edge. */
export class ChannelConfigError extends Error {
  override readonly name = 'ChannelConfigError';
  readonly code = 'CB_INVALID_CHANNEL_CONFIG';
  readonly statusCode = 400;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Transient when the HTTP status says "try later", permanent when it says "this will never work". */
export const isTransientHttpStatus = (status: number): boolean => status === 408 || status === 425 || status === 429 || status >= 500;
