import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { telegramKind, telegramText } from '../../src/kinds/telegram';
import { anAlert } from '../alert-fixture';
import { HOSTILE_NAME, itTellsAnswersApart, useKindReceiver } from './support';

const { receiver, context } = useKindReceiver();
const botToken = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const send = (alert = anAlert(), extra: { messageThreadId?: number } = {}) =>
  telegramKind.send(context(), { botToken, chatId: '-1001234567890', baseUrl: receiver().url, ...extra }, alert);

interface SendMessage {
  chat_id: string;
  message_thread_id?: number;
  text: string;
  parse_mode: string;
  link_preview_options: { is_disabled: boolean };
}

describe('Telegram', () => {
  // https://core.telegram.org/bots/api#sendmessage: POST /bot<token>/sendMessage, JSON, parse_mode HTML.
  it('calls sendMessage with the bot token in the path, the chat id and HTML text', async () => {
    receiver().respond = () => ({ status: 200, body: { ok: true, result: { message_id: 42 } } });
    await send(anAlert(), { messageThreadId: 7 });
    const [request] = receiver().requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/bot${botToken}/sendMessage`);
    expect(request?.headers['content-type']).toBe('application/json');
    const body = request?.json as SendMessage;
    expect(body).toMatchObject({
      chat_id: '-1001234567890',
      message_thread_id: 7,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
    expect(body.text).toContain('🔴 <b>DOWN: nightly-backup (failed, exit status 3)</b>');
    expect(body.text).toContain('<b>Exit status:</b> 3');
    expect(body.text).toContain('<pre>pg_dump: error: connection refused</pre>');
    expect(body.text).toContain('<a href="https://cronbeat.example/checks/6f1c1f1e">Open check</a>');
  });

  it('escapes a hostile check name for Telegram’s HTML', async () => {
    await send(anAlert({ check: { name: HOSTILE_NAME } }));
    const body = receiver().requests[0]?.json as SendMessage;
    expect(body.text).toContain('<b>DOWN: @everyone &lt;b&gt;&amp; (failed, exit status 3)</b>');
    expect(body.text).not.toContain('<b>&');
  });

  it('keeps within 4,096 characters, the end of a long output kept and its tags whole', () => {
    const output = `${'<&>'.repeat(2000)}THE END`;
    const text = telegramText(anAlert({ ping: { at: new Date('2026-06-02T14:00:00Z'), kind: 'fail', exitStatus: 3, bodyTail: output } }));
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/<pre>…[^<]*THE END<\/pre>/);
  });

  it('has a config schema: token and chat id checked, the token secret, the server overridable', () => {
    expect(Value.Check(telegramKind.config, { botToken, chatId: '@cronbeat_alerts' })).toBe(true);
    expect(Value.Check(telegramKind.config, { botToken, chatId: '12345', baseUrl: 'http://telegram-bot-api:8081' })).toBe(true);
    expect(Value.Check(telegramKind.config, { botToken: 'not a token', chatId: '12345' })).toBe(false);
    expect(Value.Check(telegramKind.config, { botToken, chatId: 'general' })).toBe(false);
    expect(telegramKind.secrets).toEqual(['botToken']);
  });

  itTellsAnswersApart({
    receiver,
    send: (alert) => send(alert),
    alert: () => anAlert(),
    refused: { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } },
    // https://core.telegram.org/bots/api#responseparameters: retry_after, seconds.
    rateLimited: {
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 35', parameters: { retry_after: 35 } },
    },
    retryAfterMs: 35_000,
  });
});
