import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { projects } from '@cronbeat/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CronbeatServer, checksOfProject, cli, envFor, startCronbeat } from './cronbeat-server';

const HC_KEY = 'hcw_cli_test_key_000000000000000';
/** Two checks as Healthchecks' API v3 lists them (its docs' examples, trimmed to what an import reads). */
const HC_CHECKS = [
  {
    name: 'Filesystem Backup',
    slug: 'filesystem-backup',
    tags: 'backup fs',
    desc: 'hourly',
    grace: 600,
    manual_resume: false,
    methods: '',
    uuid: '31365bce-8da9-4729-8ff3-aaa71d56b712',
    timeout: 3600,
  },
  {
    name: 'Database Backup',
    slug: 'database-backup',
    tags: 'prod db',
    desc: '',
    grace: 1200,
    manual_resume: true,
    methods: 'POST',
    uuid: '803f680d-e89b-492b-82ef-2be7b774a92d',
    schedule: '15 5 * * *',
    tz: 'UTC',
  },
];
const HC_CHANNELS = [{ id: '4ec5a071-2d08-4baa-898a-eb4eb3cd6941', name: 'My Work Email', kind: 'email' }];

let server: CronbeatServer;
let hc: Server;
let hcUrl: string;
beforeAll(async () => {
  server = await startCronbeat({ ALLOW_PRIVATE_TARGETS: '127.0.0.0/8' });
  hc = createServer((request, response) => {
    const send = (status: number, body: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.headers['x-api-key'] !== HC_KEY) return send(401, { error: 'wrong api key' });
    if (request.url === '/api/v3/checks/') return send(200, { checks: HC_CHECKS });
    if (request.url === '/api/v3/channels/') return send(200, { channels: HC_CHANNELS });
    return send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => hc.listen(0, '127.0.0.1', resolve));
  hcUrl = `http://127.0.0.1:${(hc.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => hc.close(resolve));
  await server.close();
});

describe('cronbeat import-healthchecks', () => {
  it('prints the plan on --dry-run and changes nothing', async () => {
    const result = await cli(['import-healthchecks', '--from', hcUrl, '--api-key', HC_KEY, '--dry-run'], { env: envFor(server) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Plan \(dry run, nothing changed\):\nACTION\s+UUID\s+SLUG\s+NAME\s+WHY\n/);
    expect(result.stdout).toMatch(/create\s+31365bce-8da9-4729-8ff3-aaa71d56b712\s+filesystem-backup\s+Filesystem Backup/);
    expect(result.stdout).toMatch(
      /Integrations to recreate by hand[^\n]*\nKIND\s+NAME\s+HEALTHCHECKS ID\nemail\s+My Work Email\s+4ec5a071/,
    );
    expect(await checksOfProject(server)).toEqual([]);
  });

  it('imports with the same uuids, slugs and schedules and sets the ping key; a second run updates, never duplicates', async () => {
    for (const action of ['create', 'update']) {
      const result = await cli(
        ['import-healthchecks', '--from', hcUrl, '--api-key', HC_KEY, '--ping-key', 'hcProjectPingKey_123', '--json'],
        {
          env: envFor(server),
        },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).checks.map((check: { action: string }) => check.action)).toEqual([action, action]);
    }
    const rows = await checksOfProject(server);
    expect(rows.map((row) => [row.id, row.pingCode, row.slug])).toEqual([
      [HC_CHECKS[1]!.uuid, HC_CHECKS[1]!.uuid, 'database-backup'],
      [HC_CHECKS[0]!.uuid, HC_CHECKS[0]!.uuid, 'filesystem-backup'],
    ]);
    expect(rows[0]).toMatchObject({
      cron: '15 5 * * *',
      tz: 'UTC',
      grace: 1200,
      manualResume: true,
      methods: 'POST',
      tags: ['prod', 'db'],
    });
    expect(rows[1]).toMatchObject({ period: 3600, grace: 600, description: 'hourly' });
    const [project] = await server.database.db.select().from(projects).where(eq(projects.id, server.projectId));
    expect(project?.pingKey).toBe('hcProjectPingKey_123');
  });

  it('exits 1 saying Healthchecks refused the key, and 2 without --from', async () => {
    const refused = await cli(['import-healthchecks', '--from', hcUrl, '--api-key', 'wrong'], { env: envFor(server) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/apiKey: Healthchecks refused it \(HTTP 401\)/);
    expect((await cli(['import-healthchecks', '--api-key', HC_KEY], { env: envFor(server) })).code).toBe(2);
  });
});
