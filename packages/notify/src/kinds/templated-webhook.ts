/**
 * A webhook whose method, URL, headers and body people write themselves,
 * with Mustache variables (https://github.com/janl/mustache.js) for the
 * alert's facts: `{{check.name}}`, `{{event}}`, `{{reason}}`,
 * `{{atLocal}}`, `{{output}}`… Every value is escaped for where it lands:
 * inside a JSON string for a JSON body (so a check named `a "b"\nc` keeps
 * the body valid JSON), URL-encoded in a form body and in the URL, and
 * without line breaks in a header. A JSON body that still does not parse
 * (a template that is not JSON to begin with) fails permanently rather
 * than send something the receiver cannot read. Headers are secret: they
 * usually carry a token.
 */
import Mustache from 'mustache';
import { type Static, Type } from 'typebox';
import { alertDetail, alertEvent, alertSubject, alertTime, alertZone } from '../message';
import { type Alert, DeliveryError } from '../types';
import { HttpUrl } from './chat-text';
import { type ChannelKindModule, sendRequest } from './kind';

const CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'text/plain'] as const;
type ContentType = (typeof CONTENT_TYPES)[number];

const config = Type.Object(
  {
    method: Type.Optional(
      Type.Union(
        ['POST', 'PUT', 'PATCH'].map((m) => Type.Literal(m)),
        { default: 'POST', description: 'Default: POST' },
      ),
    ),
    url: HttpUrl('Where to send it; may hold variables ({{check.slug}}), URL-encoded.'),
    headers: Type.Optional(
      Type.Record(Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$" }), Type.String({ maxLength: 2000 }), {
        maxProperties: 20,
        // A name that is not a header token is refused, not ignored.
        additionalProperties: false,
        description: 'Extra request headers; values may hold variables. Secret: never shown back.',
      }),
    ),
    contentType: Type.Optional(
      Type.Union(
        CONTENT_TYPES.map((type) => Type.Literal(type)),
        {
          default: 'application/json',
          description: 'How the body is sent, and so how values are escaped in it. Default: application/json',
        },
      ),
    ),
    body: Type.String({ minLength: 1, maxLength: 10_000, description: 'The body, a Mustache template; see the README for the variables.' }),
  },
  { additionalProperties: false },
);

/** The variables a template can use: the same facts as every other channel's message. */
export function templateView(alert: Alert) {
  const { check, flip, ping } = alert;
  return {
    event: alertEvent(alert),
    subject: alertSubject(alert),
    detail: alertDetail(alert) ?? '',
    status: flip.to,
    from: flip.from,
    reason: flip.reason,
    exitStatus: flip.exitStatus ?? '',
    at: flip.at.toISOString(),
    atLocal: alertTime(alert, flip.at),
    downSince: alert.downSince?.toISOString() ?? '',
    output: ping?.bodyTail ?? '',
    deliveryId: alert.deliveryId,
    check: {
      id: check.id,
      name: check.name,
      slug: check.slug ?? '',
      project: check.projectName,
      url: check.url,
      tz: alertZone(alert),
      tags: (check.tags ?? []).join(' '),
      lastPing: check.lastPing?.toISOString() ?? '',
    },
  };
}

const escapers: Record<ContentType, (value: string) => string> = {
  // The characters between a JSON string's quotes.
  'application/json': (value) => JSON.stringify(value).slice(1, -1),
  'application/x-www-form-urlencoded': encodeURIComponent,
  'text/plain': (value) => value,
};

const render = (template: string, view: object, escapeValue: (value: string) => string): string =>
  // No partials: a template is one string, and `{{> name}}` must not read anything else.
  Mustache.render(template, view, {}, { escape: (value: unknown) => escapeValue(String(value)) });

/** The request a template makes for an alert; throws a permanent DeliveryError when it cannot be made. */
export function templatedRequest(settings: Static<typeof config>, alert: Alert) {
  const contentType: ContentType = settings.contentType ?? 'application/json';
  const view = templateView(alert);
  try {
    const body = render(settings.body, view, escapers[contentType]);
    if (contentType === 'application/json') JSON.parse(body);
    const headers: Record<string, string> = { 'content-type': contentType };
    for (const [name, value] of Object.entries(settings.headers ?? {})) {
      headers[name.toLowerCase()] = render(value, view, (text) => text.replace(/[\r\n]+/g, ' '));
    }
    return { method: settings.method ?? 'POST', url: render(settings.url, view, encodeURIComponent), headers, body };
  } catch (error) {
    const what =
      error instanceof SyntaxError && contentType === 'application/json' ? 'the body is not valid JSON' : 'the template cannot be rendered';
    throw new DeliveryError(`templated webhook: ${what}`, true, { cause: error });
  }
}

export const templatedWebhookKind: ChannelKindModule<typeof config> = {
  kind: 'templated-webhook',
  title: 'Webhook (your own template)',
  config,
  secrets: ['headers'],
  async send(context, settings, alert) {
    const { method, url, headers, body } = templatedRequest(settings, alert);
    await sendRequest(context, 'templated webhook', url, { method: method as 'POST' | 'PUT' | 'PATCH', headers, body });
  },
};
