import { randomUUID } from 'node:crypto';
import { type Config, loadConfig } from '@cronbeat/config';
import { checks, createCheck, createProject, type Database, type Db, flips, type Project, pings } from '@cronbeat/db';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../src';

/** Builds the app on the suite's database before its tests and closes it after. */
export function usePingApp(database: () => Database, env: Record<string, string> = {}) {
  let app: FastifyInstance | undefined;
  const config: Config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  beforeAll(async () => {
    app = await buildApp(config, { database: database() });
  });
  afterAll(async () => {
    await app?.close();
  });
  return {
    config,
    get app() {
      if (!app) throw new Error('the app is built in beforeAll');
      return app;
    },
  };
}

/** A fresh project, so tests never share checks. */
export const aProject = (db: Db): Promise<Project> => createProject(db, { name: `project ${randomUUID()}` });

/** A fresh check in a fresh project (or the given one): hourly, 10 minutes grace. */
export async function aCheck(db: Db, overrides: { project?: Project; slug?: string; manualResume?: boolean; methods?: '' | 'POST' } = {}) {
  const project = overrides.project ?? (await aProject(db));
  const check = await createCheck(db, {
    projectId: project.id,
    name: 'backup',
    slug: overrides.slug ?? null,
    schedule: { kind: 'period', period: 3600 },
    grace: 600,
    manualResume: overrides.manualResume ?? false,
    methods: overrides.methods ?? '',
  });
  return { project, check };
}

export const checkRow = async (db: Db, id: string) => (await db.select().from(checks).where(eq(checks.id, id)))[0]!;
export const pingRows = (db: Db, checkId: string) => db.select().from(pings).where(eq(pings.checkId, checkId)).orderBy(asc(pings.n));
export const flipRows = (db: Db, checkId: string) => db.select().from(flips).where(eq(flips.checkId, checkId)).orderBy(asc(flips.id));
