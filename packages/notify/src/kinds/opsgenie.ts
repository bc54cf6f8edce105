/**
 * Opsgenie alerts through the Alert API (https://docs.opsgenie.com/docs/alert-api):
 * DOWN and STILL DOWN create an alert (POST /v2/alerts) with one alias per
 * check, which Opsgenie deduplicates while that alert is open, so a repeat
 * after a crash mid-send or a reminder adds to the open alert instead of
 * making a second; UP closes it by that alias (POST
 * /v2/alerts/{alias}/close?identifierType=alias). `Authorization: GenieKey <key>`
 * (https://docs.opsgenie.com/docs/authentication). US accounts are served by
 * api.opsgenie.com, EU accounts by api.eu.opsgenie.com. Answers: 202
 * accepted (processed later), 4xx permanent, 429 throttled and 5xx retried
 * (https://docs.opsgenie.com/docs/api-rate-limiting).
 */
import { type Static, Type } from 'typebox';
import type { OutboundResponse } from '../guard';
import { alertFacts, alertSubject } from '../message';
import type { Alert } from '../types';
import { clip, HttpUrl } from './chat-text';
import { alertsPerCheck, incidentAction } from './incident';
import { type ChannelKindModule, type KindContext, postJson, testIncidentKey } from './kind';
import { alertTitle, pushBody } from './push-text';

const config = Type.Object(
  {
    apiKey: Type.String({
      minLength: 1,
      maxLength: 128,
      pattern: '^\\S+$',
      description: 'The API key of an "API" integration in Opsgenie (Settings → Integrations, or a team’s integrations). Secret.',
    }),
    baseUrl: Type.Optional(
      HttpUrl('The Opsgenie API: https://api.opsgenie.com for US accounts, https://api.eu.opsgenie.com for EU accounts. Default: US.', {
        default: 'https://api.opsgenie.com',
      }),
    ),
    priority: Type.Optional(
      Type.Union([Type.Literal('P1'), Type.Literal('P2'), Type.Literal('P3'), Type.Literal('P4'), Type.Literal('P5')], {
        default: 'P1',
        description: 'The priority of the alert a check going down opens (P1 highest). Default: P1.',
      }),
    ),
  },
  { additionalProperties: false },
);

type OpsgenieConfig = Static<typeof config>;

/** Opsgenie's field limits (https://docs.opsgenie.com/docs/alert-api#create-alert). */
const LIMITS = { message: 130, description: 15_000, entity: 512, tag: 50, tags: 20, detailValue: 8000 } as const;

/** `cronbeat-<check id>`: one alias per check, so its UP closes what its DOWN opened. */
export const opsgenieAlias = (alert: Alert): string => `cronbeat-${alert.check.id}`;

/** The create-alert body for one check's DOWN or STILL DOWN. */
export function opsgenieAlert(alert: Alert, priority: OpsgenieConfig['priority'] = 'P1') {
  const details: Record<string, string> = Object.fromEntries(alertFacts(alert).map(([label, value]) => [label, clip(value, 500)]));
  details.Link = alert.check.url;
  const tags = ['cronbeat', ...(alert.check.tags ?? [])].slice(0, LIMITS.tags).map((tag) => clip(tag, LIMITS.tag));
  return {
    message: alertTitle(alert, LIMITS.message),
    alias: opsgenieAlias(alert),
    description: clip(`${pushBody(alert, LIMITS.description - 200)}\n\n${alert.check.url}`, LIMITS.description),
    tags,
    details,
    entity: clip(alert.check.name, LIMITS.entity),
    source: 'Cronbeat',
    priority,
  };
}

/**
 * Opsgenie's throttled answers (429) carry `X-RateLimit-State: THROTTLED`,
 * `X-RateLimit-Reason` and `X-RateLimit-Period-In-Sec`, the period of the
 * bucket that ran out, 1 or 60 (https://docs.opsgenie.com/docs/api-rate-limiting;
 * the same three headers in the Alert API's OpenAPI document). It names no
 * wait of its own, so the period is the wait, unless a `Retry-After` says.
 */
const periodHint = (response: OutboundResponse): number | null => {
  if (response.status !== 429 || response.headers['retry-after'] !== undefined) return null;
  const period = Number(response.headers['x-ratelimit-period-in-sec']);
  return Number.isFinite(period) && period > 0 ? period * 1000 : null;
};

/** How often, and how far apart, a test asks whether Opsgenie has processed its alert before closing it. */
const PROCESSED_POLLS = 5;
const POLL_GAP_MS = 400;

/**
 * Waits (a few polls at most) until Opsgenie has processed the request
 * `created` answered for: a create is queued (202), and a close that
 * overtook it would find no alert to close and leave the test alert open.
 * GET /v2/alerts/requests/{requestId} answers 404 until the request is
 * processed (https://docs.opsgenie.com/docs/alert-api#get-request-status).
 * Past the last poll the close is sent anyway.
 */
async function awaitProcessed(context: KindContext, base: string, headers: Record<string, string>, created: OutboundResponse) {
  let requestId: unknown;
  try {
    requestId = (JSON.parse(created.body.toString('utf8')) as { requestId?: unknown }).requestId;
  } catch {
    return;
  }
  if (typeof requestId !== 'string' || requestId === '') return;
  const url = `${base}/requests/${encodeURIComponent(requestId)}`;
  for (let poll = 0; poll < PROCESSED_POLLS; poll += 1) {
    const answer = await context.guard.request(url, { method: 'GET', headers, body: '', timeoutMs: context.timeoutMs }).catch(() => null);
    if (answer?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_GAP_MS));
  }
}

export const opsgenieKind: ChannelKindModule<typeof config> = {
  kind: 'opsgenie',
  title: 'Opsgenie',
  config,
  secrets: ['apiKey'],
  // A late check opens no incident here, and nothing would close one: LATE is not asked for unless chosen.
  defaultEvents: ['down', 'still_down', 'up'],
  async send(context, settings, alert) {
    const base = alertsUrl(settings);
    const headers = { authorization: `GenieKey ${settings.apiKey}` };
    // One alert per check, in order; a retry sends them all again, which the aliases make harmless.
    for (const each of alertsPerCheck(alert)) {
      const action = incidentAction(each);
      if (action === 'open') await postJson(context, 'Opsgenie', base, opsgenieAlert(each, settings.priority), headers, periodHint);
      if (action === 'close') {
        const url = `${base}/${encodeURIComponent(opsgenieAlias(each))}/close?identifierType=alias`;
        await postJson(context, 'Opsgenie', url, { source: 'Cronbeat', note: clip(alertSubject(each), 1000) }, headers, periodHint);
      }
    }
  },
  // The Alert API has no test alert of its own: a test creates one under an alias of its own and closes it once processed.
  async sendTest(context, settings, alert) {
    const base = alertsUrl(settings);
    const headers = { authorization: `GenieKey ${settings.apiKey}` };
    const alias = testIncidentKey(alert);
    const created = await postJson(context, 'Opsgenie', base, { ...opsgenieAlert(alert, settings.priority), alias }, headers, periodHint);
    await awaitProcessed(context, base, headers, created);
    const url = `${base}/${encodeURIComponent(alias)}/close?identifierType=alias`;
    await postJson(context, 'Opsgenie', url, { source: 'Cronbeat', note: 'Cronbeat test alert: closed at once' }, headers, periodHint);
  },
};

const alertsUrl = (settings: OpsgenieConfig): string => `${(settings.baseUrl ?? 'https://api.opsgenie.com').replace(/\/+$/, '')}/v2/alerts`;
