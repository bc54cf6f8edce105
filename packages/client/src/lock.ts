import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { RUN_LOCK_LIMITS, type RunLockGrant, type RunLockHeld, type RunLockRequest, renewEveryMs } from '@cronbeat/contract';
import { describeHttpFailure, isTransient, request } from './http.js';
import { type PingOptions, pingUrl } from './ping.js';

export interface LockOptions extends Pick<PingOptions, 'url' | 'pingKey' | 'create'> {
  /** Seconds the lease lasts unless renewed (renewed every third of it while the job runs). Default: 60. */
  ttl?: number;
  /** Milliseconds to keep trying to reach Cronbeat for the lease before giving up. Default: 10,000. */
  timeout?: number;
  /** Where warnings about renewing and releasing go. Default: stderr with a `cronbeat:` prefix. */
  warn?: (message: string) => void;
}

/** Who holds a lease another runner asked for: host, pid, since when and until when (ISO 8601). */
export type LockHolder = RunLockHeld['holder'];

/** A lease this runner holds: its fencing token, and a signal that aborts if Cronbeat says it was lost. */
export interface Lease {
  /** One more than the check's previous grant: what the job can fence its writes with (CRONBEAT_FENCING_TOKEN). */
  token: number;
  /** Aborts when a renewal finds the lease no longer this runner's (it lapsed and was granted to another). */
  signal: AbortSignal;
}

/**
 * The lease could not be had: Cronbeat could not be reached in time, or
 * refused the request (an unknown check, a bad ttl). A lock fails closed:
 * the job is not run. `unreachable` tells a lasting refusal from an outage.
 */
export class LockUnavailableError extends Error {
  override readonly name = 'LockUnavailableError';
  constructor(
    message: string,
    readonly unreachable: boolean,
  ) {
    super(message);
  }
}

/** A granted lease, renewed until `release`. */
export interface HeldLock extends Lease {
  /** Stops renewing and gives the lease back (a failure is a warning: the lease then lapses by itself). */
  release(deadline?: number): Promise<void>;
}

export type LockAttempt = { acquired: true; lock: HeldLock } | { acquired: false; holder: LockHolder };

interface Answer {
  status: number | null;
  body: unknown;
  /** The network error, when there was no answer. */
  failure?: string;
}

/** Milliseconds spent giving back a lease that may have been granted to a request whose answer never came. */
const GIVE_BACK_MS = 2_000;

/**
 * The lock URL of a check reference: its ping URL (code or key and slug) with `/lock`, and `?create=1` when
 * `create` asks for it, which only the request for the lease should carry (renewals and releases find the
 * check the lease was granted on).
 */
export const lockUrl = (check: string, options: Pick<PingOptions, 'url' | 'pingKey' | 'create'> = {}): string =>
  `${pingUrl(check, 'success', { url: options.url, pingKey: options.pingKey })}/lock${options.create ? '?create=1' : ''}`;

async function send(method: 'POST' | 'PUT' | 'DELETE', url: string, body: object, budget: number): Promise<Answer> {
  try {
    const { status, text } = await request({
      method,
      url,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      timeoutMs: Math.max(budget, 1),
    });
    let parsed: unknown = null;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      parsed = { error: { message: text.trim() } };
    }
    return { status, body: parsed };
  } catch (error) {
    return { status: null, body: null, failure: describeHttpFailure(error) };
  }
}

/** Sends until an answer that is not transient, or the deadline; the last answer either way. */
async function sendWithRetries(method: 'POST' | 'PUT' | 'DELETE', url: string, body: object, deadline: number): Promise<Answer> {
  let backoff = 250;
  for (;;) {
    const answer = await send(method, url, body, deadline - Date.now());
    const wait = Math.min(backoff, deadline - Date.now() - 200);
    if (!isTransient(answer.status) || wait < 0) return answer;
    await sleep(wait + Math.random() * Math.min(50, wait));
    backoff = Math.min(backoff * 2, 2_000);
  }
}

const messageOf = (answer: Answer): string =>
  answer.status === null
    ? (answer.failure ?? 'no answer')
    : `${answer.status} ${(answer.body as { error?: { message?: string } } | null)?.error?.message ?? ''}`.trim();

/** A lease's grant as the server answers it; anything else (an old server, a proxy's page) is no grant. */
const grantOf = (answer: Answer): RunLockGrant | null =>
  answer.status === 200 && Number.isSafeInteger((answer.body as RunLockGrant | null)?.token) ? (answer.body as RunLockGrant) : null;
const holderOf = (answer: Answer): LockHolder | null => {
  const holder = (answer.body as RunLockHeld | null)?.holder;
  return answer.status === 409 && typeof holder?.host === 'string' && Number.isSafeInteger(holder.pid) ? holder : null;
};

/**
 * Asks Cronbeat for the check's run lock; with `create`, a slug that leads
 * to no check is created first, as a `?create=1` ping creates it. Granted:
 * the lease, renewed every third of its ttl until released. Held by another runner: who holds it
 * (Cronbeat has stored a `skipped` ping naming them). Throws
 * `LockUnavailableError` when Cronbeat cannot be reached before the
 * timeout, refuses the request, or answers in a shape that is no grant.
 */
export async function acquireLock(check: string, options: LockOptions = {}): Promise<LockAttempt> {
  const warn = options.warn ?? ((message: string) => process.stderr.write(`cronbeat: ${message}\n`));
  const ttl = options.ttl ?? RUN_LOCK_LIMITS.ttl.default;
  const url = lockUrl(check, { url: options.url, pingKey: options.pingKey });
  const holderId = randomUUID();
  const request: RunLockRequest = { ttl, holder: { id: holderId, host: hostname(), pid: process.pid } };
  const askUrl = lockUrl(check, options);
  const answer = await sendWithRetries('POST', askUrl, request, Date.now() + (options.timeout ?? 10_000));
  const holder = holderOf(answer);
  if (holder) return { acquired: false, holder };
  const grant = grantOf(answer);
  if (!grant) {
    // A request that went unanswered, or was answered by a proxy after the server had granted it, may hold a
    // lease: give it back rather than keep others out for its ttl.
    if (isTransient(answer.status) || answer.status === 200) await send('DELETE', url, { holderId }, GIVE_BACK_MS);
    const why = answer.status === 200 || answer.status === 409 ? `an answer that is not a lock (${answer.status})` : messageOf(answer);
    throw new LockUnavailableError(`could not get the run lock of ${check}: ${why}`, isTransient(answer.status));
  }
  return { acquired: true, lock: keepRenewed(url, holderId, grant.token, ttl, warn) };
}

/**
 * How long one renewal request may take, in milliseconds: a third of the renewal period (a hung request must
 * leave time to try again before the lease ends), at least a second, at most ten.
 */
const renewalRequestMs = (every: number) => Math.min(Math.max(Math.round(every / 3), 1_000), 10_000);

/**
 * Renews the lease every third of its ttl, one request at a time. A renewal
 * that gets no answer (or a transient one) is a warning and is tried again
 * soon, not a whole period later, so a lease survives more than one lost
 * request; one that finds the lease gone aborts the signal and stops; any
 * other refusal (the check deleted) is said once and renewing stops. The
 * job is never stopped by Cronbeat: what protects its writes is the
 * fencing token.
 */
function keepRenewed(url: string, holderId: string, token: number, ttl: number, warn: (message: string) => void): HeldLock {
  const lost = new AbortController();
  const every = renewEveryMs(ttl);
  const requestMs = renewalRequestMs(every);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let renewing: Promise<void> | null = null;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      renewing = renew().finally(() => {
        renewing = null;
      });
    }, ms);
    // The job keeps the process alive; a pending renewal alone must not.
    timer.unref();
  };
  const renew = async () => {
    const answer = await send('PUT', url, { holderId, ttl }, requestMs);
    if (answer.status === 200) return schedule(every);
    if (answer.status === 409) {
      warn(`the run lock was lost (${messageOf(answer)}); another runner may start the job`);
      lost.abort(new Error('the run lock was lost'));
    } else if (isTransient(answer.status)) {
      const retryMs = Math.round(every / 6);
      warn(`could not renew the run lock: ${messageOf(answer)}; trying again in ${Math.max(1, Math.round(retryMs / 1000))} s`);
      schedule(retryMs);
    } else {
      warn(`could not renew the run lock: ${messageOf(answer)}; no longer renewing it, it lapses within ${ttl} s`);
    }
  };
  schedule(every);
  return {
    token,
    signal: lost.signal,
    async release(deadline = Date.now() + 10_000) {
      stopped = true;
      clearTimeout(timer);
      // A renewal under way is waited for (its answer may say the lease is lost), but never past the deadline.
      if (renewing) {
        let giveUp: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<void>((resolve) => {
          giveUp = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        });
        await Promise.race([renewing, late]);
        clearTimeout(giveUp);
      }
      if (lost.signal.aborted) return;
      const answer = await sendWithRetries('DELETE', url, { holderId }, deadline);
      if (answer.status !== 204) warn(`could not release the run lock (${messageOf(answer)}); it lapses within ${ttl} s`);
    },
  };
}

/** The line a runner that was kept out prints. */
export const describeHolder = (check: string, holder: LockHolder): string =>
  `skipped: the run lock of ${check} is held by ${holder.host} (pid ${holder.pid}) since ${holder.since}`;
