/**
 * The templated webhook: the request people wrote, with the alert's facts
 * escaped for where they land, against a real local receiver.
 */
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src';
import { templatedWebhookKind } from '../../src/kinds/templated-webhook';
import { anAlert } from '../alert-fixture';
import { failure, itTellsAnswersApart, useKindReceiver } from './support';

const JSON_BODY =
  '{"text": "{{subject}}", "check": "{{check.name}}", "at": "{{atLocal}}", "exit": "{{exitStatus}}", "output": "{{output}}"}';

describe('templated webhook', () => {
  const { receiver, context } = useKindReceiver();
  const send = (alert: Alert, extra: Record<string, unknown> = {}) =>
    templatedWebhookKind.send(context(), { url: `${receiver().url}/hooks/{{check.slug}}`, body: JSON_BODY, ...extra }, alert);

  it('posts the body written, with the facts of the alert in it', async () => {
    await send(anAlert(), { headers: { Authorization: 'Bearer {{check.slug}}-token' } });
    const [request] = receiver().requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hooks/nightly-backup');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe('Bearer nightly-backup-token');
    expect(request?.json).toEqual({
      text: 'DOWN: nightly-backup (failed, exit status 3)',
      check: 'nightly-backup',
      at: expect.stringContaining('Europe/Berlin'),
      exit: '3',
      output: 'pg_dump: error: connection refused',
    });
  });

  it.each([
    ['quotes', 'the "nightly" backup'],
    ['new lines and tabs', 'line one\nline two\ttabbed\r\n'],
    ['non-ASCII', 'Sauvegarde nocturne — überprüft ✓ 备份'],
    ['backslashes and braces', 'C:\\jobs\\{{x}} }}'],
  ])('keeps the body valid JSON for a name with %s', async (_what, name) => {
    await send(anAlert({ check: { name }, ping: { at: new Date(), kind: 'fail', exitStatus: 1, bodyTail: `"${name}"` } }));
    const [request] = receiver().requests;
    expect(request?.json).toMatchObject({ check: name, output: `"${name}"` });
  });

  it('URL-encodes values in the URL and a form body, and keeps headers on one line', async () => {
    const alert = anAlert({ check: { slug: 'a b/c', name: 'x&y=z\r\nInjected: yes' } });
    await send(alert, {
      contentType: 'application/x-www-form-urlencoded',
      body: 'name={{check.name}}&event={{event}}',
      headers: { 'X-Check': '{{check.name}}' },
    });
    const [request] = receiver().requests;
    expect(request?.path).toBe('/hooks/a%20b%2Fc');
    expect(new URLSearchParams(request?.body).get('name')).toBe('x&y=z\r\nInjected: yes');
    expect(request?.headers['x-check']).toBe('x&y=z Injected: yes');
    expect(request?.headers.injected).toBeUndefined();
  });

  it('sends PUT when asked, as plain text when asked', async () => {
    await send(anAlert(), { method: 'PUT', contentType: 'text/plain', body: '{{event}} {{check.name}} {{reason}}' });
    const [request] = receiver().requests;
    expect(request?.method).toBe('PUT');
    expect(request?.body).toBe('down nightly-backup failed');
  });

  it('fails for good, sending nothing, when a JSON template does not make JSON', async () => {
    const error = await failure(send(anAlert(), { body: '{"text": {{{check.name}}}}' }));
    expect(error.permanent).toBe(true);
    expect(error.message).toBe('templated webhook: the body is not valid JSON');
    expect(receiver().requests).toEqual([]);
  });

  it('refuses a config with an unknown field, a bad method or an empty body', () => {
    const ok = { url: 'https://example.com/hook', body: '{}' };
    expect(Value.Check(templatedWebhookKind.config, ok)).toBe(true);
    expect(Value.Check(templatedWebhookKind.config, { ...ok, extra: 1 })).toBe(false);
    expect(Value.Check(templatedWebhookKind.config, { ...ok, method: 'DELETE' })).toBe(false);
    expect(Value.Check(templatedWebhookKind.config, { ...ok, body: '' })).toBe(false);
    expect(Value.Check(templatedWebhookKind.config, { ...ok, headers: { 'bad header': 'x' } })).toBe(false);
    expect(templatedWebhookKind.secrets).toEqual(['headers']);
  });

  itTellsAnswersApart({
    receiver,
    send: (alert) => send(alert),
    alert: () => anAlert(),
    rateLimited: { status: 429, headers: { 'retry-after': '30' } },
    retryAfterMs: 30_000,
  });
});
