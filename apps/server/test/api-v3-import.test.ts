import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, injectApi, type Person, signUp, testApp } from './api-fixtures';
import { injectV3 } from './api-v3-fixtures';

/** Healthchecks' documented example checks (api.md, "List existing checks"), as its API v3 answers a read-write key. */
const HC_CHECKS: Array<Record<string, unknown> & { uuid: string }> = [
  {
    name: 'Filesystem Backup',
    slug: 'filesystem-backup',
    tags: 'backup fs',
    desc: 'Runs incremental backup every hour',
    grace: 600,
    n_pings: 1,
    status: 'up',
    started: false,
    last_ping: '2020-03-24T14:02:03+00:00',
    next_ping: '2020-03-24T15:02:03+00:00',
    manual_resume: false,
    methods: '',
    start_kw: 'STARTING',
    success_kw: 'SUCCESS',
    failure_kw: 'ERROR',
    filter_subject: false,
    filter_body: false,
    filter_http_body: true,
    filter_default_fail: false,
    badge_url: 'https://healthchecks.example/b/2/1b9d0386-d07e-44b0-8995-4a9a372de43c.svg',
    uuid: '31365bce-8da9-4729-8ff3-aaa71d56b712',
    ping_url: 'https://hc-ping.com/31365bce-8da9-4729-8ff3-aaa71d56b712',
    update_url: 'https://healthchecks.example/api/v3/checks/31365bce-8da9-4729-8ff3-aaa71d56b712',
    pause_url: 'https://healthchecks.example/api/v3/checks/31365bce-8da9-4729-8ff3-aaa71d56b712/pause',
    resume_url: 'https://healthchecks.example/api/v3/checks/31365bce-8da9-4729-8ff3-aaa71d56b712/resume',
    channels: '1bdea468-03bf-47b8-ab27-29a9dd0e4b94',
    timeout: 3600,
  },
  {
    name: 'Database Backup',
    slug: 'database-backup',
    tags: 'production db',
    desc: 'Runs ~/db-backup.sh',
    grace: 1200,
    n_pings: 7,
    status: 'down',
    started: false,
    last_ping: '2020-03-23T10:19:32+00:00',
    next_ping: null,
    manual_resume: true,
    methods: 'POST',
    start_kw: '',
    success_kw: '',
    failure_kw: '',
    filter_subject: false,
    filter_body: false,
    filter_http_body: false,
    filter_default_fail: false,
    badge_url: 'https://healthchecks.example/b/2/7d3ab93d-836e-4505-bbda-fcbd5e07adf9.svg',
    uuid: '803f680d-e89b-492b-82ef-2be7b774a92d',
    ping_url: 'https://hc-ping.com/803f680d-e89b-492b-82ef-2be7b774a92d',
    update_url: 'https://healthchecks.example/api/v3/checks/803f680d-e89b-492b-82ef-2be7b774a92d',
    pause_url: 'https://healthchecks.example/api/v3/checks/803f680d-e89b-492b-82ef-2be7b774a92d/pause',
    resume_url: 'https://healthchecks.example/api/v3/checks/803f680d-e89b-492b-82ef-2be7b774a92d/resume',
    channels: '',
    schedule: '15 5 * * *',
    tz: 'Europe/Riga',
  },
  {
    name: 'Weekdays',
    slug: 'weekdays',
    tags: '',
    desc: '',
    grace: 3600,
    n_pings: 0,
    status: 'new',
    started: false,
    last_ping: null,
    next_ping: null,
    manual_resume: false,
    methods: '',
    uuid: 'a0d7c1f2-3b4e-4c5d-8e9f-0a1b2c3d4e5f',
    channels: '',
    schedule: 'Mon..Fri *-*-* 09:00',
    tz: 'UTC',
  },
];
/** The "List existing integrations" example. */
const HC_CHANNELS = [
  { id: '4ec5a071-2d08-4baa-898a-eb4eb3cd6941', name: 'My Work Email', kind: 'email' },
  { id: '746a083e-f542-4554-be1a-707ce16d3acc', name: 'My Phone', kind: 'sms' },
];
const HC_KEY = 'hcw_xxxxxxxxxxxxxxxxxxxxxxxxxxxx';

/** A local fake of Healthchecks' API v3 serving the documented answers to its read-write key. */
function fakeHealthchecks(): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const send = (status: number, body: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.headers['x-api-key'] !== HC_KEY) return send(401, { error: 'wrong api key' });
    if (request.url === '/api/v3/checks/') return send(200, { checks: HC_CHECKS });
    if (request.url === '/api/v3/channels/') return send(200, { channels: HC_CHANNELS });
    return send(404, { error: 'not found' });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })),
  );
}

describe.each(testDatabaseKinds())('import from Healthchecks on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let guarded: FastifyInstance;
  let owner: Person;
  let key: string;
  let hc: Awaited<ReturnType<typeof fakeHealthchecks>>;
  beforeAll(async () => {
    hc = await fakeHealthchecks();
    app = await testApp(test.database, { ALLOW_PRIVATE_TARGETS: '127.0.0.0/8' });
    guarded = await testApp(test.database);
    owner = await signUp(app);
    key = (await createKey(app, owner, 'read-write')).key;
  });
  afterAll(async () => {
    await Promise.all([app.close(), guarded.close()]);
    await new Promise((resolve) => hc.server.close(resolve));
  });

  const importRun = (payload: Record<string, unknown>, on = app) =>
    injectApi(on, 'POST', '/import/healthchecks', { 'x-api-key': key }, { from: hc.url, apiKey: HC_KEY, ...payload });

  it('plans without writing on a dry run, listing the integrations to recreate', async () => {
    const planned = await importRun({ dryRun: true, pingKey: 'hcPingKey_abcdefghijk' });
    expect(planned.statusCode).toBe(200);
    expect(planned.json()).toEqual({
      dryRun: true,
      checks: [
        { uuid: HC_CHECKS[0]!.uuid, name: 'Filesystem Backup', slug: 'filesystem-backup', action: 'create' },
        { uuid: HC_CHECKS[1]!.uuid, name: 'Database Backup', slug: 'database-backup', action: 'create' },
        { uuid: HC_CHECKS[2]!.uuid, name: 'Weekdays', slug: 'weekdays', action: 'create' },
      ],
      pingKey: 'set',
      integrations: HC_CHANNELS,
    });
    expect((await injectV3(app, 'GET', '/checks/', key)).json().checks).toEqual([]);
  });

  it('imports the checks with the same uuids as id and ping code, slugs, schedules and settings, and the ping key; a second run updates', async () => {
    for (const run of [1, 2]) {
      const imported = await importRun({ pingKey: 'hcPingKey_abcdefghijk' });
      expect(imported.statusCode, `run ${run}`).toBe(200);
      expect(
        imported.json().checks.map((check: { action: string }) => check.action),
        `run ${run}`,
      ).toEqual(run === 1 ? ['create', 'create', 'create'] : ['update', 'update', 'update']);
    }
    const checks = (await injectV3(app, 'GET', '/checks/', key)).json().checks;
    expect(checks).toHaveLength(3);
    const [files, db, weekdays] = [HC_CHECKS[0]!, HC_CHECKS[1]!, HC_CHECKS[2]!].map((hcCheck) =>
      checks.find((check: { uuid: string }) => check.uuid === hcCheck.uuid),
    );
    expect(files).toMatchObject({
      name: 'Filesystem Backup',
      slug: 'filesystem-backup',
      tags: 'backup fs',
      desc: 'Runs incremental backup every hour',
      grace: 600,
      timeout: 3600,
      start_kw: 'STARTING',
      success_kw: 'SUCCESS',
      failure_kw: 'ERROR',
      channels: '',
    });
    expect(db).toMatchObject({
      slug: 'database-backup',
      schedule: '15 5 * * *',
      tz: 'Europe/Riga',
      grace: 1200,
      manual_resume: true,
      methods: 'POST',
    });
    expect(weekdays).toMatchObject({ slug: 'weekdays', schedule: 'Mon..Fri *-*-* 09:00', tz: 'UTC' });
    // Read-only keys see the unique_key Healthchecks' docs show for these uuids.
    const ro = (await createKey(app, owner, 'read-only')).key;
    const byName = Object.fromEntries(
      (await injectV3(app, 'GET', '/checks/', ro))
        .json()
        .checks.map((check: { name: string; unique_key: string }) => [check.name, check.unique_key]),
    );
    expect(byName).toMatchObject({
      'Filesystem Backup': 'a6c7b0a8a66bed0df66abfdab3c77736861703ee',
      'Database Backup': '124f983e0e3dcaeba921cfcef46efd084576e783',
    });
    expect((await injectV3(app, 'GET', '/checks/124f983e0e3dcaeba921cfcef46efd084576e783', ro)).json().name).toBe('Database Backup');
    // Every Healthchecks ping URL keeps working: by uuid, and by the ping key and slug.
    expect((await app.inject({ method: 'POST', url: `/ping/${HC_CHECKS[0]!.uuid}` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/ping/hcPingKey_abcdefghijk/database-backup' })).statusCode).toBe(200);
    expect((await injectV3(app, 'GET', `/checks/${HC_CHECKS[0]!.uuid}`, key)).json().n_pings).toBe(1);
  });

  it('says why it cannot read the Healthchecks project, showing nothing of its answer', async () => {
    const wrongKey = await importRun({ apiKey: 'hcw_wrong' });
    expect(wrongKey.statusCode).toBe(400);
    expect(wrongKey.json().error.message).toMatch(/^apiKey: Healthchecks refused it \(HTTP 401\)/);
    const notThere = await importRun({ from: `${hc.url}/elsewhere` });
    expect(notThere.json().error.message).toMatch(/answered HTTP 404 Not Found$/);
  });

  it('refuses a loopback Healthchecks unless the operator allows private targets', async () => {
    const refused = await importRun({ dryRun: true }, guarded);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toMatch(/refused: 127\.0\.0\.1 is not a public address \(loopback\)/);
  });

  it('skips a check whose settings Cronbeat refuses, saying why, and imports the rest', async () => {
    const broken = { ...HC_CHECKS[0]!, uuid: 'c3f1e2d4-5a6b-4c7d-8e9f-a0b1c2d3e4f5', slug: 'broken', schedule: '99 * * * *', tz: 'UTC' };
    // Healthchecks allows two checks with one slug; a Cronbeat project does not.
    const sameSlug = { ...HC_CHECKS[0]!, uuid: 'd4e5f6a7-5a6b-4c7d-8e9f-a0b1c2d3e4f5', name: 'Twin' };
    // An answer no Healthchecks gives: tags as a list.
    const oddTags = { ...HC_CHECKS[0]!, uuid: 'e5f6a7b8-5a6b-4c7d-8e9f-a0b1c2d3e4f5', slug: 'odd', tags: ['a', 'b'] };
    HC_CHECKS.push(broken, sameSlug, oddTags);
    try {
      const imported = await importRun({});
      expect(imported.statusCode).toBe(200);
      expect(imported.json().checks.slice(-3)).toEqual([
        { uuid: broken.uuid, name: 'Filesystem Backup', slug: 'broken', action: 'skip', reason: expect.stringMatching(/^schedule: /) },
        {
          uuid: sameSlug.uuid,
          name: 'Twin',
          slug: 'filesystem-backup',
          action: 'skip',
          reason: 'another check here already has the slug filesystem-backup',
        },
        {
          uuid: oddTags.uuid,
          name: 'Filesystem Backup',
          slug: 'odd',
          action: 'skip',
          reason: "tags: not as Healthchecks' API v3 gives it",
        },
      ]);
      expect((await injectV3(app, 'GET', '/checks/', key)).json().checks).toHaveLength(3);
    } finally {
      HC_CHECKS.splice(-3);
    }
  });

  it('takes the project in the path too, for people signed in, and 404 for a project not theirs', async () => {
    const planned = await injectApi(app, 'POST', `/projects/${owner.projectId}/import/healthchecks`, owner.headers, {
      from: hc.url,
      apiKey: HC_KEY,
      dryRun: true,
    });
    expect(planned.statusCode).toBe(200);
    expect(planned.json().checks.map((check: { action: string }) => check.action)).toEqual(['update', 'update', 'update']);
    const stranger = await signUp(app);
    const refused = await injectApi(app, 'POST', `/projects/${owner.projectId}/import/healthchecks`, stranger.headers, {
      from: hc.url,
      apiKey: HC_KEY,
    });
    expect(refused.statusCode).toBe(404);
  });

  it("refuses a ping key another project holds, and a check uuid that is another project's", async () => {
    const other = await signUp(app);
    const otherKey = (await createKey(app, other, 'read-write')).key;
    const taken = await injectApi(
      app,
      'POST',
      '/import/healthchecks',
      { 'x-api-key': otherKey },
      { from: hc.url, apiKey: HC_KEY, pingKey: 'hcPingKey_abcdefghijk' },
    );
    expect(taken.statusCode).toBe(409);
    const planned = await injectApi(
      app,
      'POST',
      '/import/healthchecks',
      { 'x-api-key': otherKey },
      { from: hc.url, apiKey: HC_KEY, dryRun: true },
    );
    expect(planned.json().checks[0]).toMatchObject({ action: 'skip', reason: 'another check already has this uuid' });
  });
});
