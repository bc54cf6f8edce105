import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { projects } from '../schema';

export type Project = typeof projects.$inferSelect;

/** A fresh ping key: 22 URL-safe characters, 128 bits. */
export const newPingKey = (): string => randomBytes(16).toString('base64url');

export async function createProject(db: Db, input: { name: string }): Promise<Project> {
  const [project] = await db.insert(projects).values({ name: input.name, pingKey: newPingKey() }).returning();
  if (!project) throw new Error('insert into projects returned no row');
  return project;
}

export async function getProject(db: Db, id: string): Promise<Project | null> {
  const [project] = await db.select().from(projects).where(eq(projects.id, id));
  return project ?? null;
}
