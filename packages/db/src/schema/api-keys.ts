import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { projects } from './projects';

export const API_KEY_ACCESS = ['read-write', 'read-only'] as const;
export type ApiKeyAccess = (typeof API_KEY_ACCESS)[number];

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    access: text('access', { enum: API_KEY_ACCESS }).notNull(),
    /** The first characters of the key (`cb_rw_ab12…`), shown so people can tell keys apart. */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the key; the key itself is shown once, at creation. */
    keyHash: text('key_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('api_keys_key_hash_key').on(table.keyHash), index('api_keys_project_id_idx').on(table.projectId)],
);
