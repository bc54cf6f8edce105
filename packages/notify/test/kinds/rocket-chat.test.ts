import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { rocketChatKind } from '../../src/kinds/rocket-chat';
import { anAlert } from '../alert-fixture';
import { HOSTILE_NAME, itTellsAnswersApart, useKindReceiver } from './support';

const { receiver, context } = useKindReceiver();
const path = '/hooks/6a8f3c1d2e/Zx9yW8vU7tS6rQ5pO4nM';
const send = (alert = anAlert(), extra: { channel?: string; alias?: string } = {}) =>
  rocketChatKind.send(context(), { url: `${receiver().url}${path}`, ...extra }, alert);

interface Message {
  text: string;
  channel?: string;
  alias?: string;
  attachments: Array<{
    color: string;
    title: string;
    title_link: string;
    text: string;
    fields: Array<{ title: string; value: string; short: boolean }>;
  }>;
}

describe('Rocket.Chat', () => {
  // https://docs.rocket.chat/docs/integrations: POST JSON to /hooks/<id>/<token>.
  it('posts a message with a red attachment: facts, output and a link', async () => {
    receiver().respond = () => ({ status: 200, body: { success: true } });
    await send(anAlert(), { channel: '#ops', alias: 'Cronbeat' });
    const [request] = receiver().requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(path);
    expect(request?.headers['content-type']).toBe('application/json');
    const message = request?.json as Message;
    expect(message).toMatchObject({ channel: '#ops', alias: 'Cronbeat', text: 'DOWN: nightly-backup (failed, exit status 3)' });
    const [attachment] = message.attachments;
    expect(attachment?.color).toBe('#e01e5a');
    expect(attachment?.title_link).toBe('https://cronbeat.example/checks/6f1c1f1e');
    expect(attachment?.fields).toContainEqual({ short: true, title: 'Exit status', value: '3' });
    expect(attachment?.text).toContain('```\npg_dump: error: connection refused\n```');
  });

  it('mentions no one from a hostile check name', async () => {
    await send(anAlert({ check: { name: HOSTILE_NAME } }));
    const message = receiver().requests[0]?.json as Message;
    expect(message.text).toBe('DOWN: @\u200beveryone <b>& (failed, exit status 3)');
    expect(message.attachments[0]?.fields.find((field) => field.title === 'Check')?.value).toBe('@\u200beveryone <b>&');
  });

  it('has a config schema that takes the hook URL, a channel or user, and keeps the URL secret', () => {
    expect(Value.Check(rocketChatKind.config, { url: `https://chat.example.com${path}`, channel: '#ops' })).toBe(true);
    expect(Value.Check(rocketChatKind.config, { url: `https://chat.example.com${path}`, channel: 'ops' })).toBe(false);
    expect(rocketChatKind.secrets).toEqual(['url']);
  });

  itTellsAnswersApart({
    receiver,
    send: (alert) => send(alert),
    alert: () => anAlert(),
    ok: { status: 200, body: { success: true } },
    refused: { status: 404, body: { success: false, error: 'Invalid integration id or token provided.' } },
    rateLimited: { status: 429, headers: { 'retry-after': '10' }, body: { success: false, error: 'error-too-many-requests' } },
    retryAfterMs: 10_000,
  });
});
