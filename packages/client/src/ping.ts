import { setTimeout as sleep } from 'node:timers/promises';
import { isUuid } from '@cronbeat/contract/rules';
import { describeHttpFailure, isTransient, request } from './http.js';
import { settingsFrom } from './settings.js';

/** What a ping reports: success, the start of a run, a failure, a log line, or an exit status 0–255. */
export type PingKind = 'success' | 'start' | 'fail' | 'log' | number;

export interface PingOptions {
  /** Base URL of Cronbeat. Default: CRONBEAT_URL. */
  url?: string;
  /** Ping key for slug references. Default: CRONBEAT_PING_KEY. */
  pingKey?: string;
  /** Run id pairing a start with its end (a UUID). */
  rid?: string;
  /** Request body, e.g. the tail of a job's output. Sent with POST; without a body the ping is a GET. */
  body?: string | Buffer;
  /** Create an unknown slug in the project (`?create=1`). Default: false. */
  create?: boolean;
  /** Milliseconds to keep retrying before giving up. Default: 10,000. */
  timeout?: number;
  /** Absolute deadline (ms since epoch); when set it wins over `timeout`. */
  deadline?: number;
}

export interface PingResult {
  /** True for a 2xx answer. */
  ok: boolean;
  /** HTTP status, or null when Cronbeat could not be reached. */
  status: number | null;
  /** The response text (`OK`, `Created`, `not found`…) or the network error. */
  message: string;
  attempts: number;
}

/** The contract's UUID rule (bundled): a ping code or run id. */
export { isUuid };

/** The smallest wait we still spend on an attempt, so a late end ping is tried at least once. */
const MIN_ATTEMPT_MS = 500;
/** The least time worth spending on a retry. */
const MIN_RETRY_BUDGET_MS = 200;

/**
 * The ping URL for a check reference: its ping code (a UUID, not the check's id), `<ping-key>/<slug>`, or a
 * bare slug combined with the ping key.
 */
export function pingUrl(check: string, kind: PingKind, options: PingOptions = {}): string {
  const settings = settingsFrom(process.env, { url: options.url ?? null, pingKey: options.pingKey ?? null });
  if (!settings.url) throw new Error('CRONBEAT_URL is not set');
  let path: string;
  if (isUuid(check) || check.includes('/')) path = check;
  else if (settings.pingKey) path = `${settings.pingKey}/${check}`;
  else throw new Error(`"${check}" is neither a ping code (a UUID) nor <ping-key>/<slug>, and CRONBEAT_PING_KEY is not set`);
  const suffix = kind === 'success' ? '' : `/${kind}`;
  if (typeof kind === 'number' && !(Number.isInteger(kind) && kind >= 0 && kind <= 255)) {
    throw new Error(`exit status ${kind} is not an integer from 0 to 255`);
  }
  const query = new URLSearchParams();
  if (options.create) query.set('create', '1');
  if (options.rid) query.set('rid', options.rid);
  const search = query.size > 0 ? `?${query}` : '';
  return `${settings.url}/ping/${path.split('/').map(encodeURIComponent).join('/')}${suffix}${search}`;
}

/**
 * Sends one ping, retrying transient failures with exponential backoff until
 * the deadline. Never throws for network or HTTP errors: a monitoring hiccup
 * must not become the job's failure. Throws only for a reference it cannot
 * turn into a URL.
 */
export async function ping(check: string, kind: PingKind = 'success', options: PingOptions = {}): Promise<PingResult> {
  const url = pingUrl(check, kind, options);
  const deadline = options.deadline ?? Date.now() + (options.timeout ?? 10_000);
  let backoff = 250;
  let result: PingResult = { ok: false, status: null, message: 'not attempted', attempts: 0 };
  for (let attempt = 1; ; attempt++) {
    const budget = Math.max(deadline - Date.now(), attempt === 1 ? MIN_ATTEMPT_MS : 0);
    result = { ...(await attemptPing(url, options.body, budget)), attempts: attempt };
    if (!isTransient(result.status)) return result;
    // A retry with almost no time left would only turn a clear answer (503) into "timed out".
    const wait = Math.min(backoff, deadline - Date.now() - MIN_RETRY_BUDGET_MS);
    if (wait < 0) return result;
    // Jitter keeps many job servers from retrying in lockstep after an outage.
    await sleep(wait + Math.random() * Math.min(50, wait));
    backoff = Math.min(backoff * 2, 5_000);
  }
}

async function attemptPing(url: string, body: string | Buffer | undefined, budget: number): Promise<Omit<PingResult, 'attempts'>> {
  try {
    const { status, ok, text } = await request({
      method: body === undefined ? 'GET' : 'POST',
      url,
      body,
      headers: body === undefined ? {} : { 'content-type': 'text/plain; charset=utf-8' },
      timeoutMs: budget,
    });
    return { ok, status, message: text.trim() };
  } catch (error) {
    return { ok: false, status: null, message: describeHttpFailure(error) };
  }
}
