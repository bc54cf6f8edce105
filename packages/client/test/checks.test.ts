import { checks as checksTable } from '@cronbeat/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CronbeatServer, checkRow, checksOfProject, cli, envFor, startCronbeat } from './cronbeat-server';

let server: CronbeatServer;
beforeAll(async () => {
  server = await startCronbeat();
});
afterAll(() => server.close());

const checks = (args: string[]) => cli(['checks', ...args], { env: envFor(server) });

describe('cronbeat checks over the REST API', () => {
  it('creates a check and shows it as a table and as JSON', async () => {
    const created = await checks([
      'create',
      '--name',
      'Nightly backup',
      '--slug',
      'nightly-backup',
      '--cron',
      '0 3 * * *',
      '--tz',
      'Europe/Paris',
      '--grace',
      '1h',
      '--tag',
      'db',
      '--json',
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const check = JSON.parse(created.stdout);
    expect(check).toMatchObject({
      name: 'Nightly backup',
      slug: 'nightly-backup',
      cron: '0 3 * * *',
      tz: 'Europe/Paris',
      grace: 3600,
      tags: ['db'],
    });

    const table = await checks(['list']);
    expect(table.code).toBe(0);
    const [header, row] = table.stdout.split('\n');
    expect(header).toMatch(/^NAME\s+SLUG\s+STATUS\s+SCHEDULE\s+LAST PING\s+ID$/);
    expect(row).toMatch(/^Nightly backup\s+nightly-backup\s+new\s+0 3 \* \* \* \(Europe\/Paris\)\s+never\s+[0-9a-f-]{36}$/);

    const json = await checks(['list', '--json']);
    expect(JSON.parse(json.stdout).map((listed: { id: string }) => listed.id)).toEqual([check.id]);

    const bySlug = await checks(['get', 'nightly-backup']);
    expect(bySlug.stdout).toContain(`id:        ${check.id}`);
    expect(bySlug.stdout).toContain('grace:     1h');
  });

  it('sets alerting when late with --alert-on-late, and no channels with --channels ""', async () => {
    const created = await checks(['create', '--name', 'Queue drain', '--period', '5m', '--alert-on-late', '--channels', '', '--json']);
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'Queue drain', period: 300, alertOnLate: true, channels: [] });
    const plain = JSON.parse((await checks(['create', '--name', 'Plain', '--period', '5m', '--json'])).stdout);
    expect(plain.alertOnLate).toBe(false);
    for (const id of [JSON.parse(created.stdout).id, plain.id]) expect((await checks(['delete', id])).code).toBe(0);
  });

  it('pauses, resumes and deletes by slug or id', async () => {
    await checks(['create', '--name', 'Queue', '--slug', 'queue', '--period', '5m', '--grace', '5m']);
    const [row] = (await checksOfProject(server)).filter((check) => check.slug === 'queue');
    expect((await checks(['pause', 'queue'])).stdout).toBe('paused queue\n');
    expect((await checkRow(server, row!.id)).status).toBe('paused');
    expect((await checks(['resume', row!.id])).code).toBe(0);
    expect((await checkRow(server, row!.id)).status).not.toBe('paused');
    expect((await checks(['delete', 'queue'])).stdout).toBe('deleted queue\n');
    expect((await checksOfProject(server)).some((check) => check.slug === 'queue')).toBe(false);
  });

  it('explains API errors and exits 1', async () => {
    const missing = await checks(['get', 'no-such-check']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('cronbeat: no check with slug "no-such-check"\n');
    const invalid = await checks(['create', '--name', 'Bad', '--cron', '61 * * * *']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^cronbeat: POST \/checks: 400 .*cron/);
    const unauthorised = await cli(['checks', 'list'], { env: { ...envFor(server), CRONBEAT_API_KEY: `cb_rw_${'x'.repeat(43)}` } });
    expect(unauthorised.code).toBe(1);
    expect(unauthorised.stderr).toMatch(/401/);
  });

  it('lists a project of more checks than one page holds, each once', async () => {
    const many = Array.from({ length: 1_001 }, (_, i) => ({
      projectId: server.projectId,
      name: `bulk ${i}`,
      tags: ['bulk'],
      period: 86_400,
      grace: 3_600,
    }));
    await server.database.db.insert(checksTable).values(many);
    const listed = await checks(['list', '--tag', 'bulk', '--json']);
    expect(listed.stderr).toBe('');
    const names = (JSON.parse(listed.stdout) as { name: string }[]).map((check) => check.name);
    expect(names).toHaveLength(1_001);
    expect(new Set(names).size).toBe(1_001);
  });
});
