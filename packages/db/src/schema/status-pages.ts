import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { projects } from './projects';

/**
 * A public status page of a project, at `/status/<slug>`: the checks it
 * lists (those in `check_ids` and those with any of `tags`), each under a
 * public name. Anyone with the address may read it, so it holds nothing
 * the page must not show.
 */
export const statusPages = pgTable(
  'status_pages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** The address, unique across all projects; random unless chosen. */
    slug: text('slug').notNull().default(sql`substr(replace(gen_random_uuid()::text, '-', ''), 1, 16)`),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    /** Checks of the same project; a deleted check stays listed and simply matches nothing. */
    checkIds: uuid('check_ids').array().notNull().default(sql`'{}'::uuid[]`),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** Check id → the name shown instead of the check's own; a check without one shows its own name. */
    publicNames: jsonb('public_names').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('status_pages_slug_idx').on(table.slug), index('status_pages_project_id_idx').on(table.projectId)],
);

export type StatusPageRow = typeof statusPages.$inferSelect;
