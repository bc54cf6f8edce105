import { integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Secret in slug ping URLs (`/ping/<ping-key>/<slug>`); admins can rotate it. */
    pingKey: text('ping_key').notNull(),
    /** Schedule given to checks created by `?create=1` pings, in seconds. */
    defaultPeriod: integer('default_period').notNull().default(86_400),
    defaultGrace: integer('default_grace').notNull().default(3_600),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('projects_ping_key_key').on(table.pingKey)],
);
