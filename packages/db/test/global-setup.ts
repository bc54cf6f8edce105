import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServices } from '@cronbeat/config';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { createDb } from '../src/client';
import { migrate } from '../src/migrate';
import { postgresUrlFor } from '../src/testing';
import { pgliteTemplate } from './pglite-template';

/** Migrated templates, one per kind of database, that test files copy (see `openTestDatabase`). */
export default async function setup(project: TestProject) {
  const copiesDir = mkdtempSync(join(tmpdir(), 'cronbeat-test-pglite-'));
  const templates = await pgliteTemplate();
  project.provide('pgliteTemplate', {
    dataDir: templates.migrated,
    initialisedDir: templates.initialised,
    image: templates.migratedImage,
    copiesDir,
  });
  const removeCopies = () => rmSync(copiesDir, { recursive: true, force: true });
  if (!loadServices().databaseUrl) {
    project.provide('postgresTemplate', null);
    return removeCopies;
  }
  const template = `cronbeat_template_${randomBytes(4).toString('hex')}`;
  const admin = postgres(postgresUrlFor('postgres'), {
    max: 1,
    onnotice: () => {},
  });
  await admin.unsafe(`create database ${template}`);
  const url = postgresUrlFor(template);
  const database = await createDb({ databaseUrl: url, dataDir: '' });
  await migrate(database, url);
  await database.close();
  project.provide('postgresTemplate', template);
  return async () => {
    removeCopies();
    await admin.unsafe(`drop database if exists ${template} with (force)`);
    await admin.end();
  };
}
