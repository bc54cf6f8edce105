/**
 * Matrix alerts: an `m.room.message` event sent to a room as the account
 * whose access token the channel holds
 * (https://spec.matrix.org/v1.13/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid:
 * PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId},
 * `Authorization: Bearer <token>`). The transaction id is the alert's
 * deliveryId, the same on every attempt, so the homeserver answers a
 * repeat after a crash mid-send with the event it already made instead of
 * posting twice. `m.notice` is the msgtype the spec gives automated senders;
 * an empty `m.mentions` says the event mentions no one, so neither a name's
 * `@room` nor a user id in it notifies anybody
 * (https://spec.matrix.org/v1.13/client-server-api/#user-and-room-mentions),
 * and the HTML body is escaped. A 429's M_LIMIT_EXCEEDED body carries
 * `retry_after_ms` (https://spec.matrix.org/v1.13/client-server-api/#rate-limiting).
 */
import { Type } from 'typebox';
import type { OutboundResponse } from '../guard';
import type { Alert } from '../types';
import {
  chatText,
  clip,
  clipStart,
  escapeHtml,
  FAILED_RUNS_TITLE,
  fitLatest,
  fitLines,
  HttpUrl,
  plainLines,
  statusColourHex,
} from './chat-text';
import { type ChannelKindModule, sendRequest } from './kind';

const config = Type.Object(
  {
    homeserverUrl: HttpUrl(
      'The homeserver’s client API base URL, https://matrix.example.org (for matrix.org: https://matrix-client.matrix.org).',
    ),
    roomId: Type.String({
      pattern: '^![^:\\s]+:\\S+$',
      maxLength: 255,
      description: 'The room’s id, !abcdefg:example.org (Room settings → Advanced), not its #alias. The account must have joined it.',
    }),
    accessToken: Type.String({
      minLength: 1,
      maxLength: 1024,
      description: 'An access token of the account that posts (a bot account is best). Secret.',
    }),
  },
  { additionalProperties: false },
);

/** An event is at most 65,536 bytes (https://spec.matrix.org/v1.13/client-server-api/#size-limits): each body is kept to a quarter. */
const MAX_BODY = 12_000;

export function matrixContent(alert: Alert) {
  const text = chatText(alert);
  const plain = [clip(text.subject, 500), fitLines(plainLines(text), MAX_BODY / 2)];
  if (text.output) plain.push(clipStart(text.output, 2048));
  plain.push(text.url);

  const html = [`<h4><font color="${statusColourHex(alert)}">${escapeHtml(clip(text.subject, 500))}</font></h4>`];
  if (text.group) {
    html.push(`<p>${escapeHtml(text.group.intro)}</p>`);
    const lines = text.group.lines.map(
      (line) =>
        `<li><a href="${escapeHtml(line.url)}">${escapeHtml(line.name)}</a>: ${escapeHtml(line.reason)}; down since ${escapeHtml(line.at)}${line.dependents ? `; ${escapeHtml(line.dependents)}` : ''}</li>`,
    );
    // Cut between items only, so the HTML stays whole.
    html.push(`<ul>${fitLines(lines, MAX_BODY / 2).replaceAll('\n', '')}</ul>`);
  }
  for (const note of text.notes) html.push(`<p>${escapeHtml(clip(note, 500))}</p>`);
  if (text.facts.length > 0) {
    html.push(`<p>${text.facts.map(([label, value]) => `<b>${escapeHtml(label)}:</b> ${escapeHtml(clip(value, 300))}`).join('<br>')}</p>`);
  }
  if (text.failedRuns.length > 0) {
    html.push(`<p><b>${FAILED_RUNS_TITLE}</b><br>${escapeHtml(fitLatest(text.failedRuns, 1000)).replaceAll('\n', '<br>')}</p>`);
  }
  if (text.output) html.push(`<pre><code>${escapeHtml(clipStart(text.output, 2048))}</code></pre>`);
  html.push(`<p><a href="${escapeHtml(text.url)}">Open check</a></p>`);

  return {
    msgtype: 'm.notice',
    body: clip(plain.join('\n\n'), MAX_BODY),
    format: 'org.matrix.custom.html',
    formatted_body: html.join(''),
    'm.mentions': {},
  };
}

/** The wait a 429's M_LIMIT_EXCEEDED body asks for, in milliseconds. */
export function matrixRetryAfter(response: OutboundResponse): number | null {
  try {
    const wait = (JSON.parse(response.body.toString('utf8')) as { retry_after_ms?: unknown }).retry_after_ms;
    return typeof wait === 'number' && wait >= 0 ? wait : null;
  } catch {
    return null;
  }
}

/** A path segment encoded as the spec's examples are: `!` and the other characters encodeURIComponent leaves too (`%21…%3A…`). */
const pathSegment = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export const matrixKind: ChannelKindModule<typeof config> = {
  kind: 'matrix',
  title: 'Matrix',
  config,
  secrets: ['accessToken'],
  async send(context, config, alert) {
    const base = config.homeserverUrl.replace(/\/+$/, '');
    const url = `${base}/_matrix/client/v3/rooms/${pathSegment(config.roomId)}/send/m.room.message/${pathSegment(alert.deliveryId)}`;
    await sendRequest(
      context,
      'Matrix',
      url,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${config.accessToken}` },
        body: JSON.stringify(matrixContent(alert)),
      },
      // Servers since spec v1.10 may send Retry-After too; the body's is exact to the millisecond.
      (answer) => (answer.status === 429 ? matrixRetryAfter(answer) : null),
    );
  },
};
