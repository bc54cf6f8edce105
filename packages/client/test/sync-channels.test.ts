// biome-ignore-all lint/suspicious/noTemplateCurlyInString: monitors files write ${VARIABLE} literally, for sync to replace
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channels as channelsTable } from '@cronbeat/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelDetails, type ChannelKindInfo, CronbeatApi } from '../src/api';
import { parseMonitors } from '../src/monitors-file';
import { formatChannelPlan, planChannels } from '../src/sync-channels';
import { addChannel, type CronbeatServer, cli, envFor, startCronbeat } from './cronbeat-server';

describe('channels in a monitors file', () => {
  const file = (channel: string) => `checks: []\nchannels:\n  - name: Pager\n    kind: pagerduty\n${channel}`;

  it('reads name, kind, events and the rest as the kind’s settings, with ${VAR} from the environment', () => {
    const parsed = parseMonitors(file('    routingKey: ${PD_KEY}\n    severity: warning\n    events: [down, up]\n'), '', { PD_KEY: 'k3y' });
    expect(parsed.channels).toEqual([
      {
        name: 'Pager',
        kind: 'pagerduty',
        config: { routingKey: 'k3y', severity: 'warning' },
        events: ['down', 'up'],
        fromEnvironment: ['routingKey'],
      },
    ]);
    const nested = parseMonitors(
      'checks: []\nchannels:\n  - name: Hook\n    kind: templated-webhook\n    url: https://example.com/${HOST_PATH}\n    body: "cost $${price}"\n    headers: {Authorization: "Bearer ${TOKEN}"}\n',
      '',
      { HOST_PATH: 'alerts', TOKEN: 't' },
    );
    expect(nested.channels?.[0]).toMatchObject({
      config: { url: 'https://example.com/alerts', body: 'cost ${price}', headers: { Authorization: 'Bearer t' } },
      fromEnvironment: ['url', 'headers'],
    });
    expect(parseMonitors('checks: []\n', '', {})).not.toHaveProperty('channels');
  });

  it.each([
    ['    routingKey: ${PD_KEY}\n', 'line 5, column 17: channels[0] (Pager).routingKey: environment variable PD_KEY is not set'],
    ['    routingKey: ${PD-KEY}\n', `channels[0] (Pager).routingKey: "\${PD-KEY}" is not an environment variable's name`],
    ['    events: down\n', 'line 5, column 13: channels[0] (Pager).events: expected a list of events'],
    ['    events: [down, 3]\n', 'channels[0] (Pager).events.1: expected an event name, got 3'],
  ])('names the line and field of a mistake: %j', (channel, message) => {
    expect(() => parseMonitors(file(channel), '', {})).toThrow(message);
  });

  it('needs a name, unique, and a kind', () => {
    expect(() => parseMonitors('checks: []\nchannels:\n  - kind: slack\n', '', {})).toThrow('channels[0]: "name" is required');
    expect(() => parseMonitors('checks: []\nchannels:\n  - name: A\n', '', {})).toThrow('channels[0] (A): "kind" is required');
    expect(() => parseMonitors('checks: []\nchannels:\n  - {name: A, kind: slack}\n  - {name: A, kind: email}\n', '', {})).toThrow(
      'line 4, column 12: channels[1]: name "A" is declared twice (channels are matched by name)',
    );
    expect(() => parseMonitors('checks: []\nchannels: {name: A}\n', '', {})).toThrow('channels: expected a list of channels');
  });
});

describe('channel plans', () => {
  const kinds: ChannelKindInfo[] = [
    {
      kind: 'ntfy',
      title: 'ntfy',
      secrets: ['token'],
      schema: {
        type: 'object',
        required: ['topic'],
        properties: { serverUrl: { type: 'string', default: 'https://ntfy.sh' }, topic: { type: 'string' }, token: { type: 'string' } },
      },
    },
  ];
  const onServer = (config: Record<string, unknown>, events = ['down', 'up']): ChannelDetails => ({
    id: 'c1',
    kind: 'ntfy',
    name: 'Phone',
    config,
    events: events as ChannelDetails['events'],
    createdAt: '2026-01-01T00:00:00.000Z',
    lastError: null,
    lastErrorAt: null,
    lastDeliveredAt: null,
  });
  const plan = (yaml: string, stored: ChannelDetails, env = {}) =>
    planChannels(parseMonitors(`checks: []\nchannels:\n  - name: Phone\n    kind: ntfy\n${yaml}`, '', env), [stored], kinds, false);

  it('compares as the server keeps settings: URLs in normal form, defaults for left-out fields, events in any order, no secrets', () => {
    const stored = onServer({ serverUrl: 'https://ntfy.example.com/', topic: 'jobs', token: { set: true } });
    expect(
      plan('    serverUrl: https://ntfy.example.com\n    topic: jobs\n    token: ${T}\n    events: [up, down]\n', stored, { T: 'x' }),
    ).toEqual([{ action: 'unchanged', name: 'Phone', id: 'c1', kind: 'ntfy', secrets: ['token'] }]);
    expect(plan('    topic: jobs\n', onServer({ serverUrl: 'https://ntfy.sh', topic: 'jobs' }))).toMatchObject([
      { action: 'unchanged', secrets: [] },
    ]);
  });

  it('clears a secret the file sets to null, and leaves one it leaves out', () => {
    const stored = onServer({ serverUrl: 'https://ntfy.sh', topic: 'jobs', token: { set: true } });
    expect(plan('    topic: jobs\n    token: null\n', stored)).toMatchObject([
      { action: 'update', fields: [{ field: 'token', from: { set: true }, to: null }], secrets: [] },
    ]);
    expect(plan('    topic: jobs\n', stored)).toMatchObject([{ action: 'unchanged', secrets: [] }]);
  });

  it('shows a field the file drops going to its default or to none, and changed events', () => {
    const stored = onServer({ serverUrl: 'https://ntfy.example.com/', topic: 'jobs', downPriority: 5 }, ['down']);
    const [change] = plan('    topic: jobs\n    events: [down, late]\n', stored);
    expect(change).toMatchObject({
      action: 'update',
      fields: [
        { field: 'downPriority', from: 5, to: null },
        { field: 'serverUrl', from: 'https://ntfy.example.com/', to: 'https://ntfy.sh' },
        { field: 'events', from: ['down'], to: ['down', 'late'] },
      ],
    });
    expect(formatChannelPlan([change!])).toBe(
      '~ update channel "Phone" (ntfy)\n    downPriority: 5 → (none)\n    serverUrl: "https://ntfy.example.com/" → "https://ntfy.sh"\n' +
        '    events: ["down"] → ["down","late"]\nchannels: 0 to create, 1 to update, 0 to delete, 0 unchanged\n',
    );
  });
});

let server: CronbeatServer;
let api: CronbeatApi;
beforeAll(async () => {
  server = await startCronbeat();
  api = new CronbeatApi({ url: server.url, apiKey: server.apiKey, pingKey: server.pingKey });
  await addChannel(server, 'Legacy hook');
});
afterAll(() => server.close());

const directory = mkdtempSync(join(tmpdir(), 'cronbeat-sync-channels-'));
function monitorsFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}
const KEY_1 = 'a'.repeat(32);
const KEY_2 = 'b'.repeat(32);
const SECRET_1 = 'first-signing-secret-0123456789';
const SECRET_2 = 'second-signing-secret-0123456789';
const sync = (args: string[], env: Record<string, string>) => cli(['sync', ...args], { env: { ...envFor(server), ...env } });

const FILE = (severity: string) => `channels:
  - name: Ops hook
    kind: webhook
    url: https://hooks.example.com/ops
    secret: \${OPS_SECRET}
    events: [down, up]
  - name: Pager
    kind: pagerduty
    routingKey: \${PD_KEY}
    severity: ${severity}
  - name: Team mail
    kind: email
    to: team@example.com
checks:
  - slug: backup
    period: 1d
    channels: [Ops hook, Pager]   # created by this sync
  - slug: report
    period: 1d
    channels: "*"
  - slug: quiet
    period: 1h
    channels: []
`;

const stored = async (name: string) => {
  const rows = await server.database.db.select().from(channelsTable).where(eq(channelsTable.projectId, server.projectId));
  return rows.find((row) => row.name === name);
};
const channelIdsBySlug = async () => {
  const byId = new Map((await api.listChannels()).map((channel) => [channel.id, channel.name]));
  return Object.fromEntries((await api.listChecks()).map((check) => [check.slug, (check.channels ?? []).map((id) => byId.get(id)).sort()]));
};

describe('cronbeat sync with channels', () => {
  it('plans the channels without printing a secret, and changes nothing on a dry run', async () => {
    const path = monitorsFile('channels.yaml', FILE('error'));
    const dry = await sync([path, '--dry-run'], { OPS_SECRET: SECRET_1, PD_KEY: KEY_1 });
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      '+ create channel "Pager" (pagerduty)\n    severity: "error"\n    routingKey: (secret, from the file\'s environment)\n',
    );
    expect(dry.stdout).toContain('+ create channel "Ops hook" (webhook)\n    url: "https://hooks.example.com/ops"\n    secret: (secret');
    expect(dry.stdout).toContain('channels: 3 to create, 0 to update, 0 to delete, 0 unchanged\n');
    expect(dry.stdout).toContain('channels: ["(new) Ops hook","(new) Pager"]');
    expect(dry.stdout).not.toContain(KEY_1);
    expect(dry.stdout).not.toContain(SECRET_1);
    const json = await sync([path, '--dry-run', '--json'], { OPS_SECRET: SECRET_1, PD_KEY: KEY_1 });
    expect(JSON.parse(json.stdout).channels).toHaveLength(3);
    expect(json.stdout).not.toContain(KEY_1);
    expect(json.stdout).not.toContain(SECRET_1);
    expect((await api.listChannels()).map((channel) => channel.name)).toEqual(['Legacy hook']);
  });

  it('creates the channels before the checks that name them, attached to those checks only', async () => {
    const result = await sync([monitorsFile('channels.yaml', FILE('error'))], { OPS_SECRET: SECRET_1, PD_KEY: KEY_1 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('channels: 3 to create');
    expect(result.stdout).not.toContain(KEY_1);
    expect((await stored('Pager'))?.config).toEqual({ routingKey: KEY_1, severity: 'error', baseUrl: 'https://events.pagerduty.com' });
    expect(await stored('Ops hook')).toMatchObject({ events: ['down', 'up'], config: { secret: SECRET_1 } });
    // Kinds' default events when the file names none: PagerDuty opens nothing for late.
    expect((await stored('Pager'))?.events).toEqual(['down', 'still_down', 'up']);
    expect(await channelIdsBySlug()).toEqual({
      backup: ['Ops hook', 'Pager'],
      report: ['Legacy hook', 'Ops hook', 'Pager', 'Team mail'],
      quiet: [],
    });
  });

  it('finds nothing to change on a second sync, yet sends the secrets again, so a new one in the environment wins', async () => {
    const again = await sync([monitorsFile('channels.yaml', FILE('error'))], { OPS_SECRET: SECRET_2, PD_KEY: KEY_2 });
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(
      'channels: 0 to create, 0 to update, 0 to delete, 3 unchanged (secrets of 2 sent again)\n0 to create, 0 to update, 0 to delete, 3 unchanged\n',
    );
    expect((await stored('Pager'))?.config).toMatchObject({ routingKey: KEY_2 });
    expect((await stored('Ops hook'))?.config).toMatchObject({ secret: SECRET_2 });
  });

  it('updates a changed setting by name, and deletes channels the file lacks only with --prune', async () => {
    const path = monitorsFile('warning.yaml', FILE('warning'));
    const env = { OPS_SECRET: SECRET_2, PD_KEY: KEY_2 };
    const dry = await sync([path, '--dry-run', '--prune'], env);
    expect(dry.stdout).toContain(
      '~ update channel "Pager" (pagerduty)\n    severity: "error" → "warning"\n    routingKey: (secret, sent again)\n' +
        '- delete channel "Legacy hook" (webhook)\nchannels: 0 to create, 1 to update, 1 to delete, 2 unchanged (secrets of 1 sent again)\n',
    );
    const kept = await sync([path], env);
    expect(kept.stdout).toContain('channels: 0 to create, 1 to update, 0 to delete, 2 unchanged');
    expect((await stored('Pager'))?.config).toMatchObject({ severity: 'warning', routingKey: KEY_2 });
    expect(await stored('Legacy hook')).toBeDefined();
    const pruned = await sync([path, '--prune'], env);
    expect(pruned.code).toBe(0);
    expect(await stored('Legacy hook')).toBeUndefined();
    expect((await channelIdsBySlug()).report).toEqual(['Ops hook', 'Pager', 'Team mail']);
  });
});

describe('cronbeat sync refuses channel mistakes before sending anything (exit status 2)', () => {
  const env = { OPS_SECRET: SECRET_1, PD_KEY: KEY_1, SLACK_URL: 'https://hooks.slack.com/services/T0/B0/x' };
  it.each([
    [
      'an unset variable',
      'channels:\n  - name: X\n    kind: ntfy\n    topic: t\n    token: ${NOT_SET_ANYWHERE}\n',
      'line 6, column 12: channels[0] (X).token: environment variable NOT_SET_ANYWHERE is not set',
    ],
    [
      'an unknown kind',
      'channels:\n  - name: X\n    kind: pagerbeep\n',
      'line 4, column 11: channels[0] (X).kind: unknown kind "pagerbeep" (one of email, slack',
    ],
    [
      'a setting the kind lacks',
      'channels:\n  - name: X\n    kind: slack\n    url: https://hooks.example.com/x\n    room: ops\n',
      'line 6, column 11: channels[0] (X).room: not a setting of slack channels (they take url)',
    ],
    [
      'settings nested under config: as the API nests them',
      'channels:\n  - name: X\n    kind: email\n    config: {to: a@example.com}\n',
      'line 5, column 13: channels[0] (X).config: not a setting of email channels (they take to); write the settings beside name and kind, without config:',
    ],
    [
      'a required setting left out',
      'channels:\n  - name: X\n    kind: pagerduty\n',
      'line 3, column 5: channels[0] (X): routingKey is required for pagerduty channels',
    ],
    [
      'a secret written in clear',
      `channels:\n  - name: X\n    kind: pagerduty\n    routingKey: ${KEY_1}\n`,
      'line 5, column 17: channels[0] (X).routingKey: routingKey is a secret: take it from the environment',
    ],
    [
      'a kind other than the server’s',
      'channels:\n  - name: Team mail\n    kind: slack\n    url: ${SLACK_URL}\n',
      'line 4, column 11: channels[0] (Team mail).kind: the channel "Team mail" on the server is of kind email',
    ],
    [
      'a check naming a channel --prune deletes',
      'channels: []\nchecks:\n  - slug: backup\n    channels: [Pager]\n',
      'line 4, column 15: checks[0] (backup).channels: channel "Pager" is not in this file\'s channels, so --prune deletes it',
    ],
  ])('%s', async (_what, channels, message) => {
    const before = JSON.stringify(await api.listChannels());
    const text = channels.includes('checks:') ? channels : `checks: []\n${channels}`;
    const result = await sync([monitorsFile('bad.yaml', text), '--prune'], env);
    expect(result.stderr).toContain(message);
    expect(result.code).toBe(2);
    expect(JSON.stringify(await api.listChannels())).toBe(before);
  });

  it('says which channel the server refused a setting of, with its line', async () => {
    const result = await sync(
      [monitorsFile('refused.yaml', 'checks: []\nchannels:\n  - name: Bad\n    kind: webhook\n    url: ftp://example.com\n')],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'line 3, column 5: channels[0] (Bad): POST /channels: 400 config.url: url must start with https:// or http://',
    );
  });
});
