import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { googleChatKind } from '../../src/kinds/google-chat';
import { anAlert } from '../alert-fixture';
import { HOSTILE_NAME, itTellsAnswersApart, useKindReceiver } from './support';

const { receiver, context } = useKindReceiver();
const path = '/v1/spaces/AAAAbcd/messages?key=the-key&token=the-token';
const send = (alert = anAlert()) => googleChatKind.send(context(), { url: `${receiver().url}${path}` }, alert);

interface Message {
  text: string;
  cardsV2: Array<{
    cardId: string;
    card: {
      header: { title: string; subtitle: string };
      sections: Array<{ widgets: Array<Record<string, { text?: string; topLabel?: string; buttons?: unknown[] }>> }>;
    };
  }>;
}

const widgetsOf = (message: Message) => message.cardsV2[0]?.card.sections[0]?.widgets ?? [];
const fact = (message: Message, label: string) =>
  widgetsOf(message).find((widget) => widget.decoratedText?.topLabel === label)?.decoratedText?.text;

describe('Google Chat', () => {
  // https://developers.google.com/workspace/chat/quickstart/webhooks: POST the webhook URL, JSON in UTF-8.
  it('posts the subject and a cardsV2 card with the facts, output and a link to the webhook URL', async () => {
    await send();
    const [request] = receiver().requests;
    expect(request?.method).toBe('POST');
    // The notification id as Google's requestId: a retry answers the message the first attempt made.
    expect(request?.path).toBe(`${path}&requestId=${anAlert().deliveryId}`);
    expect(request?.headers['content-type']).toBe('application/json; charset=UTF-8');
    const message = request?.json as Message;
    expect(message.text).toBe('DOWN: nightly-backup (failed, exit status 3)');
    expect(message.cardsV2).toHaveLength(1);
    expect(message.cardsV2[0]?.card.header).toEqual({ title: 'DOWN: nightly-backup (failed, exit status 3)', subtitle: 'Acme' });
    expect(fact(message, 'Status')).toBe('<font color="#e01e5a"><b>DOWN</b></font>');
    expect(fact(message, 'Exit status')).toBe('3');
    expect(widgetsOf(message).some((widget) => widget.textParagraph?.text?.includes('pg_dump: error: connection refused'))).toBe(true);
    expect(widgetsOf(message).at(-1)).toEqual({
      buttonList: { buttons: [{ text: 'Open check', onClick: { openLink: { url: 'https://cronbeat.example/checks/6f1c1f1e' } } }] },
    });
  });

  it('sends every attempt at one notification with one requestId, and another notification with another', async () => {
    await send(anAlert({ deliveryId: 'b0000000-0000-4000-8000-000000000001' }));
    await send(anAlert({ deliveryId: 'b0000000-0000-4000-8000-000000000001' }));
    await send(anAlert({ deliveryId: 'b0000000-0000-4000-8000-000000000002' }));
    const ids = receiver().requests.map((request) => new URL(request.path, 'http://x').searchParams);
    expect(ids.map((query) => query.get('requestId'))).toEqual([
      'b0000000-0000-4000-8000-000000000001',
      'b0000000-0000-4000-8000-000000000001',
      'b0000000-0000-4000-8000-000000000002',
    ]);
    // The webhook's own key and token are kept.
    for (const query of ids) expect([query.get('key'), query.get('token')]).toEqual(['the-key', 'the-token']);
  });

  it('keeps a hostile check name as text: no @all, no HTML', async () => {
    await send(anAlert({ check: { name: `${HOSTILE_NAME} <users/all>` } }));
    const message = receiver().requests[0]?.json as Message;
    expect(message.text).not.toContain('<users/all>');
    expect(message.text).toContain('<\u200busers/all>');
    expect(fact(message, 'Check')).toBe('@everyone &lt;b&gt;&amp; &lt;users/all&gt;');
  });

  it('has a config schema that takes the webhook URL and keeps it secret', () => {
    expect(Value.Check(googleChatKind.config, { url: `https://chat.googleapis.com${path}` })).toBe(true);
    expect(Value.Check(googleChatKind.config, {})).toBe(false);
    expect(googleChatKind.secrets).toEqual(['url']);
  });

  itTellsAnswersApart({
    receiver,
    send,
    alert: () => anAlert(),
    refused: { status: 400, body: { error: { code: 400, status: 'INVALID_ARGUMENT' } } },
    rateLimited: { status: 429, headers: { 'retry-after': '30' }, body: { error: { code: 429, status: 'RESOURCE_EXHAUSTED' } } },
    retryAfterMs: 30_000,
  });
});
