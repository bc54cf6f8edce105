import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { channels as channelsTable } from '@cronbeat/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCheck, type CronbeatServer, cli, envFor, startCronbeat } from './cronbeat-server';

/** A local receiver: /ok answers 200, /gone 410; it keeps what it was sent. */
let receiver: Server;
let receiverUrl: string;
const received: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];

let server: CronbeatServer;
beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.writeHead(request.url === '/gone' ? 410 : 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  // The receiver is on loopback, which the network guard refuses unless the operator allows it.
  server = await startCronbeat({ ALLOW_PRIVATE_TARGETS: '127.0.0.0/8' });
  await addCheck(server, { name: 'Backup', slug: 'backup' });
});
afterAll(async () => {
  await server.close();
  await new Promise((resolve) => receiver.close(resolve));
});

const SIGNING_SECRET = 'a-signing-secret-of-32-characters';
const run = (args: string[], env: Record<string, string> = {}) => cli(['channels', ...args], { env: { ...envFor(server), ...env } });
const storedChannel = async (id: string) => (await server.database.db.select().from(channelsTable).where(eq(channelsTable.id, id)))[0]!;

describe('cronbeat channels', () => {
  it('creates a channel from --set and --set-env, lists it, and never shows its secret', async () => {
    const created = await run(
      ['create', '--kind', 'webhook', '--name', 'Ops hook', '--set', `url=${receiverUrl}/ok`, '--set-env', 'secret=HOOK_SECRET', '--json'],
      { HOOK_SECRET: SIGNING_SECRET },
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const channel = JSON.parse(created.stdout);
    expect(channel).toMatchObject({ kind: 'webhook', name: 'Ops hook', config: { url: `${receiverUrl}/ok`, secret: { set: true } } });
    expect((await storedChannel(channel.id)).config).toEqual({ url: `${receiverUrl}/ok`, secret: SIGNING_SECRET });

    const listed = await run(['list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^NAME\s+KIND\s+EVENTS\s+ID$/);
    expect(listed.stdout).toMatch(new RegExp(`Ops hook\\s+webhook\\s+down,up,late,still_down\\s+${channel.id}`));
    const asJson = await run(['list', '--json']);
    expect(asJson.stdout).not.toContain(SIGNING_SECRET);
    expect(JSON.parse(asJson.stdout)).toHaveLength(1);
  });

  it('reads numbers, lists and maps as the kind’s schema says, takes --events, and attaches to no check with --no-attach', async () => {
    const ntfy = await run([
      'create',
      '--kind',
      'ntfy',
      '--name',
      'Phone',
      '--set',
      'topic=cron-alerts',
      '--set',
      'downPriority=5',
      '--events',
      'down,up',
      '--no-attach',
      '--json',
    ]);
    expect(ntfy.stderr).toBe('');
    const phone = JSON.parse(ntfy.stdout);
    expect(phone).toMatchObject({ kind: 'ntfy', events: ['down', 'up'], config: { topic: 'cron-alerts', downPriority: 5 } });

    const mail = await run([
      'create',
      '--kind',
      'email',
      '--name',
      'Team',
      '--set',
      'to=a@example.com',
      '--set',
      'to=b@example.com',
      '--json',
    ]);
    expect(JSON.parse(mail.stdout).config).toEqual({ to: ['a@example.com', 'b@example.com'] });

    const templated = await run(
      [
        'create',
        '--kind',
        'templated-webhook',
        '--name',
        'Templated',
        '--set',
        `url=${receiverUrl}/ok`,
        '--set',
        'body={"text": "{{check.name}}"}',
        '--set-env',
        'headers.Authorization=TOKEN',
        '--json',
      ],
      { TOKEN: 'Bearer t0k3n' },
    );
    expect(templated.stderr).toBe('');
    const templatedId = JSON.parse(templated.stdout).id;
    expect((await storedChannel(templatedId)).config).toMatchObject({ headers: { Authorization: 'Bearer t0k3n' } });

    const checks = await cli(['checks', 'get', 'backup', '--json'], { env: envFor(server) });
    const attached: string[] = JSON.parse(checks.stdout).channels;
    expect(attached).toContain(templatedId);
    expect(attached).not.toContain(phone.id);
  });

  it('sends a test alert to a local receiver, and says why one fails', async () => {
    const delivered = await run(['test', 'Ops hook']);
    expect(delivered.stderr).toBe('');
    expect(delivered.code).toBe(0);
    expect(delivered.stdout).toBe('delivered a test alert to "Ops hook" (webhook)\n');
    const request = received.find((each) => each.path === '/ok' && each.headers['x-cronbeat-signature']);
    expect(request).toBeDefined();
    expect(JSON.parse(request!.body)).toMatchObject({ event: 'check.down' });

    const gone = await run(['create', '--kind', 'webhook', '--name', 'Gone', '--set', `url=${receiverUrl}/gone`, '--json']);
    const failed = await run(['test', JSON.parse(gone.stdout).id]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('the test alert to "Gone" failed: webhook: HTTP 410 Gone (retrying will not help: check its settings)\n');
    expect(received.some((each) => each.path === '/gone')).toBe(true);
  });

  it('deletes a channel by name or id', async () => {
    const deleted = await run(['delete', 'Gone']);
    expect(deleted.stderr).toBe('');
    expect(deleted.stdout).toBe('deleted "Gone" (webhook)\n');
    const phone = JSON.parse((await run(['list', '--json'])).stdout).find((channel: { name: string }) => channel.name === 'Phone');
    expect((await run(['delete', phone.id])).code).toBe(0);
    const names = JSON.parse((await run(['list', '--json'])).stdout).map((channel: { name: string }) => channel.name);
    expect(names.sort()).toEqual(['Ops hook', 'Team', 'Templated']);
  });
});

describe('cronbeat channels: bad input is exit status 2 with a message naming the flag', () => {
  it.each([
    [
      ['create', '--kind', 'pagerbeep', '--name', 'x'],
      /^cronbeat: --kind: unknown kind "pagerbeep" \(one of email, slack, webhook, .*templated-webhook\)\n$/,
    ],
    [['create', '--kind', 'pagerduty', '--name', 'Pager'], /^cronbeat: --set routingKey: routingKey is required for PagerDuty channels\n$/],
    [
      ['create', '--kind', 'pagerduty', '--name', 'Pager', '--set', 'routingKey=short'],
      /^cronbeat: --set routingKey: routingKey must match pattern/,
    ],
    [['create', '--kind', 'slack', '--name', 'Chat', '--set', 'url=not a url'], /^cronbeat: --set url: url must be a URL/],
    [
      ['create', '--kind', 'slack', '--name', 'Chat', '--set', 'room=ops'],
      /^cronbeat: --set room: not a setting of slack channels \(they take url\)\n$/,
    ],
    [
      ['create', '--kind', 'ntfy', '--name', 'Phone', '--set', 'topic=t', '--set', 'downPriority=high'],
      /^cronbeat: --set downPriority: expected a number, got "high"\n$/,
    ],
    [['create', '--kind', 'ntfy', '--name', 'Phone', '--set', 'topic'], /^cronbeat: --set: expected field=value, got "topic"\n$/],
    [
      ['create', '--kind', 'ntfy', '--name', 'Phone', '--set-env', 'token=NOT_SET_ANYWHERE', '--set', 'topic=t'],
      /^cronbeat: --set-env token: environment variable NOT_SET_ANYWHERE is not set\n$/,
    ],
    [
      ['create', '--kind', 'slack', '--name', 'Chat', '--set', 'url=https://hooks.example.com/x', '--events', 'down,sideways'],
      /^cronbeat: --events: events\.1 must be one of down, up, late, still_down\n$/,
    ],
    [['create', '--kind', 'slack', '--set', 'url=https://hooks.example.com/x'], /^cronbeat: --name: channels create needs a name\n$/],
    [['delete'], /^cronbeat: usage: cronbeat channels delete <name\|id>\n$/],
  ])('%j', async (args, message) => {
    const before = (await run(['list', '--json'])).stdout;
    const result = await run(args);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect((await run(['list', '--json'])).stdout).toBe(before);
  });

  it('explains itself with --help, and answers an unknown action with its usage', async () => {
    const help = await run(['create', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--set-env field=VARIABLE   a setting taken from an environment variable');
    const unknown = await run(['rename', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('cronbeat: usage:\ncronbeat channels list [--json]\n');
  });

  it('refuses a name two channels share, listing their ids, and says when none has it', async () => {
    const first = JSON.parse((await run(['create', '--kind', 'email', '--name', 'Twin', '--set', 'to=a@example.com', '--json'])).stdout);
    const second = JSON.parse((await run(['create', '--kind', 'email', '--name', 'Twin', '--set', 'to=b@example.com', '--json'])).stdout);
    const ambiguous = await run(['delete', 'Twin']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toBe(`cronbeat: 2 channels are named "Twin"; give one's id: ${first.id}, ${second.id}\n`);
    const missing = await run(['test', 'Nobody']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('cronbeat: no channel named "Nobody"\n');
  });
});
