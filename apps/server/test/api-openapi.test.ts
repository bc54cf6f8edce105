import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { testDatabaseKinds, useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from './api-fixtures';

/** Every route of accounts and the API: the OpenAPI document must list each, and the app must serve each. */
const ROUTES: Array<[HTTPMethods, string]> = [
  ['POST', '/auth/signup'],
  ['POST', '/auth/login'],
  ['POST', '/auth/logout'],
  ['GET', '/auth/me'],
  ['PATCH', '/auth/me'],
  ['POST', '/auth/password'],
  ['GET', '/api/v1/checks'],
  ['POST', '/api/v1/checks'],
  ['GET', '/api/v1/checks/:id'],
  ['PATCH', '/api/v1/checks/:id'],
  ['DELETE', '/api/v1/checks/:id'],
  ['POST', '/api/v1/checks/:id/pause'],
  ['POST', '/api/v1/checks/:id/ping-code/rotate'],
  ['POST', '/api/v1/checks/:id/resume'],
  ['POST', '/api/v1/checks/:id/acknowledge'],
  ['GET', '/api/v1/checks/:id/pings'],
  ['GET', '/api/v1/checks/:id/pings/:n/body'],
  ['GET', '/api/v1/checks/:id/flips'],
  ['GET', '/api/v1/checks/:id/flips/:flipId/deliveries'],
  ['GET', '/api/v1/projects/:projectId/checks/overview'],
  ['GET', '/api/v1/projects/:projectId/events'],
  ['GET', '/api/v1/channels'],
  ['POST', '/api/v1/channels'],
  ['GET', '/api/v1/channels/:id'],
  ['PATCH', '/api/v1/channels/:id'],
  ['DELETE', '/api/v1/channels/:id'],
  ['POST', '/api/v1/channels/:id/test'],
  ['GET', '/api/v1/channels/:id/deliveries'],
  ['GET', '/api/v1/channel-kinds'],
  ['GET', '/api/v1/maintenance-windows'],
  ['POST', '/api/v1/maintenance-windows'],
  ['GET', '/api/v1/maintenance-windows/:id'],
  ['PATCH', '/api/v1/maintenance-windows/:id'],
  ['DELETE', '/api/v1/maintenance-windows/:id'],
  ['POST', '/api/v1/maintenance-windows/:id/end'],
  ['GET', '/api/v1/checks/:id/maintenance'],
  ['GET', '/api/v1/status'],
  ['POST', '/api/v1/import/healthchecks'],
  ['POST', '/api/v1/projects/:projectId/import/healthchecks'],
  ['GET', '/api/v1/metrics'],
  ['GET', '/api/v1/badges'],
  ['GET', '/api/v1/checks/:id/badge'],
  ['POST', '/api/v1/schedule/preview'],
  ['GET', '/api/v1/projects'],
  ['POST', '/api/v1/projects'],
  ['GET', '/api/v1/projects/:projectId'],
  ['PATCH', '/api/v1/projects/:projectId'],
  ['DELETE', '/api/v1/projects/:projectId'],
  ['POST', '/api/v1/projects/:projectId/ping-key'],
  ['POST', '/api/v1/projects/:projectId/sentry-key'],
  ['POST', '/api/v1/projects/:projectId/badge-key'],
  ['GET', '/api/v1/projects/:projectId/members'],
  ['PATCH', '/api/v1/projects/:projectId/members/:userId'],
  ['DELETE', '/api/v1/projects/:projectId/members/:userId'],
  ['GET', '/api/v1/projects/:projectId/invitations'],
  ['POST', '/api/v1/projects/:projectId/invitations'],
  ['DELETE', '/api/v1/projects/:projectId/invitations/:invitationId'],
  ['GET', '/api/v1/invitations/:token'],
  ['POST', '/api/v1/invitations/accept'],
  ['GET', '/api/v1/projects/:projectId/api-keys'],
  ['POST', '/api/v1/projects/:projectId/api-keys'],
  ['DELETE', '/api/v1/projects/:projectId/api-keys/:keyId'],
  ['GET', '/api/v1/projects/:projectId/status-pages'],
  ['POST', '/api/v1/projects/:projectId/status-pages'],
  ['GET', '/api/v1/projects/:projectId/status-pages/:id'],
  ['PATCH', '/api/v1/projects/:projectId/status-pages/:id'],
  ['DELETE', '/api/v1/projects/:projectId/status-pages/:id'],
];

interface Operation {
  summary?: string;
  responses?: Record<string, unknown>;
}

describe.each(testDatabaseKinds())('OpenAPI document on %s', (kind) => {
  const test = useTestDatabase(kind);
  let app: FastifyInstance;
  let doc: { openapi: string; info: { title: string }; paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    app = await testApp(test.database);
    const response = await app.inject('/api/v1/openapi.json');
    expect(response.statusCode).toBe(200);
    doc = response.json();
  });
  afterAll(() => app.close());

  it('is an OpenAPI 3.1 document served without authentication', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Cronbeat API');
  });

  it('lists every route, each with a summary and its answers', () => {
    for (const [method, url] of ROUTES) {
      expect(app.hasRoute({ method, url }), `${method} ${url} is served`).toBe(true);
      const operation = doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      expect(operation, `${method} ${url} is documented`).toBeDefined();
      expect(operation?.summary).toBeTruthy();
      expect(Object.keys(operation?.responses ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('documents nothing that is not served, and every $ref resolves', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const ours = documented.filter((route) => / \/(api\/v1|auth)\//.test(route));
    expect(ours.sort()).toEqual(ROUTES.map(([method, url]) => `${method} ${url}`).sort());
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const path = ref.slice(9, -1).replace(/^#\//, '').split('/');
      expect(
        path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc),
        ref,
      ).toBeDefined();
    }
  });

  it('is valid OpenAPI to swagger-parser, and to Redocly with no errors', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'cronbeat-openapi-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
      const cli = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');
      const lint = await promisify(execFile)(process.execPath, [cli, 'lint', join(dir, 'openapi.json'), '--format=json'], {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      }).catch((failed: { stdout?: string }) => ({ stdout: failed.stdout ?? '' }));
      const report = JSON.parse(lint.stdout) as { problems: Array<{ severity: string; ruleId: string; message: string }> };
      const errors = report.problems.filter((problem) => problem.severity === 'error');
      expect(errors.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('serves a human docs page at /docs', async () => {
    const page = await app.inject('/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });
});
