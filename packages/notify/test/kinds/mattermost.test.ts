import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { mattermostKind } from '../../src/kinds/mattermost';
import { anAlert } from '../alert-fixture';
import { HOSTILE_NAME, itTellsAnswersApart, useKindReceiver } from './support';

const { receiver, context } = useKindReceiver();
const path = '/hooks/xx1f9a8ibpgt7rb6oc4yzk8eny';
const send = (alert = anAlert(), extra: { channel?: string; username?: string } = {}) =>
  mattermostKind.send(context(), { url: `${receiver().url}${path}`, ...extra }, alert);

interface Message {
  text: string;
  channel?: string;
  username?: string;
  attachments: Array<{
    fallback: string;
    color: string;
    title: string;
    title_link: string;
    text: string;
    fields: Array<{ title: string; value: string; short: boolean }>;
  }>;
}

describe('Mattermost', () => {
  // https://developers.mattermost.com/integrate/webhooks/incoming/: POST JSON with text and attachments.
  it('posts a message with a red attachment: facts, output and a link', async () => {
    await send(anAlert(), { channel: 'ops', username: 'Cronbeat' });
    const [request] = receiver().requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(path);
    expect(request?.headers['content-type']).toBe('application/json');
    const message = request?.json as Message;
    expect(message.channel).toBe('ops');
    expect(message.username).toBe('Cronbeat');
    expect(message.text).toBe('DOWN\\: nightly\\-backup \\(failed, exit status 3\\)');
    const [attachment] = message.attachments;
    expect(attachment?.color).toBe('#e01e5a');
    expect(attachment?.title).toBe('DOWN: nightly-backup (failed, exit status 3)');
    expect(attachment?.title_link).toBe('https://cronbeat.example/checks/6f1c1f1e');
    expect(attachment?.fields).toContainEqual({ short: true, title: 'Exit status', value: '3' });
    expect(attachment?.text).toContain('```\npg_dump: error: connection refused\n```');
  });

  it('is green for a recovery', async () => {
    await send(anAlert({ flip: { from: 'down', to: 'up', reason: 'success', exitStatus: null }, ping: null }));
    const message = receiver().requests[0]?.json as Message;
    expect(message.attachments[0]?.color).toBe('#2eb67d');
  });

  it('mentions no one and formats nothing from a hostile check name', async () => {
    await send(anAlert({ check: { name: HOSTILE_NAME } }));
    const message = receiver().requests[0]?.json as Message;
    expect(message.text).not.toContain('@everyone');
    expect(message.text).toContain('@\u200beveryone \\<b\\>&');
    expect(message.attachments[0]?.fields.find((field) => field.title === 'Check')?.value).toBe('@\u200beveryone \\<b\\>&');
  });

  it('has a config schema that takes the hook URL, keeps it secret and refuses unknown fields', () => {
    expect(Value.Check(mattermostKind.config, { url: `https://chat.example.com${path}` })).toBe(true);
    expect(Value.Check(mattermostKind.config, { url: `https://chat.example.com${path}`, icon: 'x' })).toBe(false);
    expect(mattermostKind.secrets).toEqual(['url']);
  });

  itTellsAnswersApart({
    receiver,
    send: (alert) => send(alert),
    alert: () => anAlert(),
    ok: { status: 200, body: 'ok' },
    refused: { status: 400, body: { id: 'web.incoming_webhook.invalid.app_error' } },
    rateLimited: { status: 429, headers: { 'retry-after': '1' }, body: 'limit exceeded' },
    retryAfterMs: 1000,
  });
});
