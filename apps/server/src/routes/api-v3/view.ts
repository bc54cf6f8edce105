import { createHash } from 'node:crypto';
import type { V3Check, V3Status } from '@cronbeat/contract';
import type { CheckRow } from '@cronbeat/db';
import type { HealthchecksCaller } from './auth';

/**
 * Healthchecks' `unique_key`: the SHA-1 of the first 16 hex digits of the
 * check's uuid. Derived from the check's id, the uuid of /api/v3 URLs, so a
 * check imported from Healthchecks (id = its Healthchecks uuid) keeps the
 * unique_key it had there.
 */
export const uniqueKeyOf = (id: string): string => createHash('sha1').update(id.replaceAll('-', '').slice(0, 16)).digest('hex');

/** An instant as Healthchecks writes a check's times: `2020-03-24T14:02:03+00:00`, whole seconds. */
export const secondsIso = (date: Date | null): string | null => (date ? date.toISOString().replace(/\.\d{3}Z$/, '+00:00') : null);

/** Healthchecks has no stored "late": an overdue check within its grace time reads `grace`. */
const STATUS: Record<CheckRow['status'], V3Status> = { new: 'new', up: 'up', late: 'grace', down: 'down', paused: 'paused' };

/**
 * Healthchecks' `next_ping`, when its grace period starts: the expected ping
 * of an up (or late) check, or the start of a run in progress if earlier;
 * none for a check that is down, new or paused and not running.
 */
function nextPingOf(row: CheckRow): Date | null {
  const expected = row.status === 'up' || row.status === 'late' ? row.nextDue : null;
  if (!row.lastStart || row.status === 'down') return expected;
  return expected && expected < row.lastStart ? expected : row.lastStart;
}

export interface V3ViewContext {
  baseUrl: string;
  /** PING_BASE_URL: `<pingBaseUrl>/<ping code>` is a check's ping URL. */
  pingBaseUrl: string;
  caller: HealthchecksCaller;
  /** Channel ids by check, for read-write callers. */
  channels: Map<string, string[]>;
}

/**
 * A check as Healthchecks' API v3 shows it. Its `uuid` is the check's id:
 * the id in every /api/v3 URL. The ping URL carries the ping code, which
 * for checks imported from Healthchecks is the same uuid; read-only keys
 * see neither, only `unique_key`.
 */
export function v3CheckView(row: CheckRow, context: V3ViewContext): V3Check {
  const keywordsUsed = row.successKeywords.length > 0 || row.failureKeywords.length > 0 || row.startKeywords.length > 0;
  const view: V3Check = {
    name: row.name,
    slug: row.slug ?? '',
    tags: row.tags.join(' '),
    desc: row.description,
    grace: row.grace,
    n_pings: row.nPings,
    status: STATUS[row.status],
    started: row.lastStart !== null,
    last_ping: secondsIso(row.lastPing),
    next_ping: secondsIso(nextPingOf(row)),
    manual_resume: row.manualResume,
    methods: row.methods === 'POST' ? 'POST' : '',
    subject: '',
    subject_fail: '',
    start_kw: row.startKeywords.join(','),
    success_kw: row.successKeywords.join(','),
    failure_kw: row.failureKeywords.join(','),
    // Keywords apply to every ping: an email ping's subject and text alike.
    filter_subject: keywordsUsed,
    filter_body: keywordsUsed,
    filter_http_body: keywordsUsed,
    filter_default_fail: false,
  };
  // Healthchecks leaves last_duration out when it is unknown or zero, and counts whole seconds.
  if (row.lastDuration) view.last_duration = Math.floor(row.lastDuration / 1000);
  if (context.caller.readOnly) {
    view.unique_key = uniqueKeyOf(row.id);
  } else {
    const updateUrl = `${context.baseUrl}/api/v3/checks/${row.id}`;
    view.uuid = row.id;
    view.ping_url = `${context.pingBaseUrl}/${row.pingCode}`;
    view.update_url = updateUrl;
    view.pause_url = `${updateUrl}/pause`;
    view.resume_url = `${updateUrl}/resume`;
    view.channels = [...(context.channels.get(row.id) ?? [])].sort().join(',');
  }
  if (row.period !== null) view.timeout = row.period;
  else if (row.cron !== null) Object.assign(view, { schedule: row.cron, tz: row.tz });
  else if (row.onCalendar !== null) Object.assign(view, { schedule: row.onCalendar, tz: row.tz });
  return view;
}
