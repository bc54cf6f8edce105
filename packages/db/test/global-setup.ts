import { randomBytes } from 'node:crypto';
import { loadServices } from '@cronbeat/config';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { createDb } from '../src/client';
import { migrate } from '../src/migrate';
import { postgresUrlFor } from '../src/testing';

/** Migrates one template database per test run; each test file clones it (see `openTestDatabase`). */
export default async function setup(project: TestProject) {
  if (!loadServices().databaseUrl) {
    project.provide('postgresTemplate', null);
    return;
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
    await admin.unsafe(`drop database if exists ${template} with (force)`);
    await admin.end();
  };
}
