import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { discordKind } from '../../src/kinds/discord';
import { anAlert } from '../alert-fixture';
import { HOSTILE_NAME, itTellsAnswersApart, useKindReceiver } from './support';

const { receiver, context } = useKindReceiver();
const url = () => `${receiver().url}/api/webhooks/123456/s3cr3t-token`;
const send = (alert = anAlert()) => discordKind.send(context(), { url: url() }, alert);

describe('Discord', () => {
  // https://discord.com/developers/docs/resources/webhook#execute-webhook: POST the webhook URL, JSON, embeds.
  it('posts one embed to the webhook URL, red for down, with the facts and the output', async () => {
    receiver().respond = () => ({ status: 204 });
    await send();
    const [request] = receiver().requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/webhooks/123456/s3cr3t-token');
    expect(request?.headers['content-type']).toBe('application/json');
    const body = request?.json as {
      content: string;
      embeds: Array<{ title: string; url: string; color: number; fields: Array<{ name: string; value: string }> }>;
      allowed_mentions: { parse: string[] };
    };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds).toHaveLength(1);
    const embed = body.embeds[0]!;
    expect(embed.title).toBe('DOWN: nightly-backup (failed, exit status 3)');
    expect(embed.url).toBe('https://cronbeat.example/checks/6f1c1f1e');
    expect(embed.color).toBe(0xe01e5a);
    expect(embed.fields.find((field) => field.name === 'Exit status')?.value).toBe('3');
    expect(embed.fields.find((field) => field.name === 'Output')?.value).toBe('```\npg_dump: error: connection refused\n```');
  });

  it('is green when the check is back up', async () => {
    await send(anAlert({ flip: { from: 'down', to: 'up', reason: 'success', exitStatus: null }, ping: null }));
    const body = receiver().requests[0]?.json as { embeds: Array<{ color: number; title: string }> };
    expect(body.embeds[0]?.color).toBe(0x2eb67d);
    expect(body.embeds[0]?.title).toMatch(/^UP: nightly-backup/);
  });

  it('pings nobody and formats nothing from a hostile check name', async () => {
    await send(anAlert({ check: { name: HOSTILE_NAME } }));
    const body = receiver().requests[0]?.json as {
      content: string;
      embeds: Array<{ fields: Array<{ name: string; value: string }> }>;
      allowed_mentions: unknown;
    };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).not.toContain('@everyone');
    expect(body.content).toContain('@\u200beveryone \\<b\\>&');
    expect(body.embeds[0]?.fields.find((field) => field.name === 'Check')?.value).toBe('@\u200beveryone \\<b\\>&');
  });

  it('keeps within Discord’s embed limits for a long output', async () => {
    await send(
      anAlert({ ping: { at: new Date('2026-06-02T14:00:00Z'), kind: 'fail', exitStatus: 3, bodyTail: `${'x'.repeat(3000)}THE END` } }),
    );
    const body = receiver().requests[0]?.json as { embeds: Array<{ fields: Array<{ name: string; value: string }> }> };
    const output = body.embeds[0]?.fields.find((field) => field.name === 'Output')?.value ?? '';
    expect(output.length).toBeLessThanOrEqual(1024);
    expect(output).toContain('THE END');
  });

  it('has a config schema that takes a webhook URL and keeps it secret', () => {
    expect(Value.Check(discordKind.config, { url: 'https://discord.com/api/webhooks/1/abc' })).toBe(true);
    expect(Value.Check(discordKind.config, { url: 'ftp://discord.com/x' })).toBe(false);
    expect(Value.Check(discordKind.config, { url: 'https://discord.com/api/webhooks/1/abc', extra: 1 })).toBe(false);
    expect(discordKind.secrets).toEqual(['url']);
  });

  itTellsAnswersApart({
    receiver,
    send,
    alert: () => anAlert(),
    ok: { status: 204 },
    // https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit: retry_after in seconds, fractional.
    rateLimited: {
      status: 429,
      headers: { 'retry-after': '2' },
      body: { message: 'You are being rate limited.', retry_after: 1.337, global: false },
    },
    retryAfterMs: 1337,
  });
});
