/**
 * PagerDuty alerts through the Events API v2: POST /v2/enqueue with a JSON
 * event, `trigger` on DOWN (and again on STILL DOWN) and `resolve` on UP,
 * both with one `dedup_key` per check incident, so a repeat after a crash
 * mid-send, a reminder, and the recovery all land on the same PagerDuty
 * alert. https://developer.pagerduty.com/docs/events-api-v2-overview
 * (trigger: https://developer.pagerduty.com/docs/send-alert-event,
 * resolve: https://developer.pagerduty.com/docs/send-resolve-event).
 * Answers: 202 accepted, 400 invalid event (permanent), 429 throttled and
 * 5xx (retry; PagerDuty gives no wait of its own, a Retry-After counts).
 */
import { type Static, Type } from 'typebox';
import { alertFacts, quotedOutput } from '../message';
import { alertNotes } from '../notes';
import type { Alert } from '../types';
import { HttpUrl } from './chat-text';
import { alertsPerCheck, incidentAction, incidentStart } from './incident';
import { type ChannelKindModule, postJson, testIncidentKey } from './kind';
import { alertTitle } from './push-text';

const config = Type.Object(
  {
    routingKey: Type.String({
      pattern: '^[A-Za-z0-9]{32}$',
      description:
        'The Integration Key of an "Events API V2" integration on the PagerDuty service (Service → Integrations): 32 characters. Secret.',
    }),
    severity: Type.Optional(
      Type.Union([Type.Literal('critical'), Type.Literal('error'), Type.Literal('warning'), Type.Literal('info')], {
        default: 'critical',
        description: 'The severity of the alerts Cronbeat opens. Default: critical.',
      }),
    ),
    baseUrl: Type.Optional(
      HttpUrl('The Events API host. Default: https://events.pagerduty.com (it serves EU accounts too).', {
        default: 'https://events.pagerduty.com',
      }),
    ),
  },
  { additionalProperties: false },
);

type PagerDutyConfig = Static<typeof config>;

/** PagerDuty cuts `summary` at 1,024 characters; cut it ourselves so the end is ours. */
const MAX_SUMMARY = 1024;

/**
 * `cronbeat-<check id>-<when the incident began, epoch ms>`: the same for
 * the DOWN that opens an incident, its reminders, its UP, and every retry
 * of each (PagerDuty allows 255 characters; this is under 70).
 */
export const pagerDutyDedupKey = (alert: Alert): string => `cronbeat-${alert.check.id}-${incidentStart(alert).getTime()}`;

/** The Events API v2 body for one check's alert; null for a LATE alert, which PagerDuty is not told of. */
export function pagerDutyEvent(alert: Alert, routingKey: string, severity: PagerDutyConfig['severity'] = 'critical') {
  const action = incidentAction(alert);
  if (action === null) return null;
  const dedupKey = pagerDutyDedupKey(alert);
  if (action === 'close') return { routing_key: routingKey, event_action: 'resolve' as const, dedup_key: dedupKey };
  const details: Record<string, string> = Object.fromEntries(alertFacts(alert));
  const notes = alertNotes(alert);
  if (notes.length > 0) details.Notes = notes.join('\n');
  const output = quotedOutput(alert);
  if (output) details['Last output'] = output;
  return {
    routing_key: routingKey,
    event_action: 'trigger' as const,
    dedup_key: dedupKey,
    payload: {
      summary: alertTitle(alert, MAX_SUMMARY),
      source: alert.check.slug ?? alert.check.name,
      severity,
      timestamp: alert.flip.at.toISOString(),
      component: alert.check.name,
      group: alert.check.projectName,
      class: alert.flip.reason,
      custom_details: details,
    },
    client: 'Cronbeat',
    client_url: alert.check.url,
    links: [{ href: alert.check.url, text: 'Open the check in Cronbeat' }],
  };
}

export const pagerdutyKind: ChannelKindModule<typeof config> = {
  kind: 'pagerduty',
  title: 'PagerDuty',
  config,
  secrets: ['routingKey'],
  // A late check opens no incident here, and nothing would close one: LATE is not asked for unless chosen.
  defaultEvents: ['down', 'still_down', 'up'],
  async send(context, settings, alert) {
    // One event per check, in order; a retry sends them all again, which the dedup keys make harmless.
    for (const each of alertsPerCheck(alert)) {
      const event = pagerDutyEvent(each, settings.routingKey, settings.severity);
      if (event) await postJson(context, 'PagerDuty', eventsUrl(settings), event);
    }
  },
  // The Events API has no test event of its own: a test triggers under a key of its own and resolves it at once.
  async sendTest(context, settings, alert) {
    const dedupKey = testIncidentKey(alert);
    const trigger = pagerDutyEvent(alert, settings.routingKey, settings.severity);
    if (trigger) await postJson(context, 'PagerDuty', eventsUrl(settings), { ...trigger, dedup_key: dedupKey });
    await postJson(context, 'PagerDuty', eventsUrl(settings), {
      routing_key: settings.routingKey,
      event_action: 'resolve',
      dedup_key: dedupKey,
    });
  },
};

const eventsUrl = (settings: PagerDutyConfig): string =>
  `${(settings.baseUrl ?? 'https://events.pagerduty.com').replace(/\/+$/, '')}/v2/enqueue`;
