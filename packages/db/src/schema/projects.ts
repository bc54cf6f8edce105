import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Secret in slug ping URLs (`/ping/<ping-key>/<slug>`); admins can rotate it. */
    pingKey: text('ping_key').notNull(),
    /**
     * Secret in status badge URLs (`/badge/<badge-key>/...`), apart from the
     * ping key so that a badge in a public README lets nobody ping.
     * A random UUID's 122 bits as 32 hex digits, made by Postgres for every new row.
     */
    badgeKey: text('badge_key').notNull().default(sql`replace(gen_random_uuid()::text, '-', '')`),
    /** Schedule given to checks created by `?create=1` pings, in seconds. */
    defaultPeriod: integer('default_period').notNull().default(86_400),
    defaultGrace: integer('default_grace').notNull().default(3_600),
    /** Most checks `?create=1` pings may make in the project (the API and dashboard are not limited by it); 0 turns `?create=1` off. */
    autoCreateLimit: integer('auto_create_limit').notNull().default(1_000),
    /** Whether a check made by a `?create=1` ping alerts every channel of the project (else none until someone picks). */
    autoCreateAttachChannels: boolean('auto_create_attach_channels').notNull().default(true),
    /**
     * More of its checks going down in one sweep batch than this are told
     * in one message per email and Slack channel (webhooks still get one
     * event per check); null: never grouped.
     */
    groupAlertsAbove: smallint('group_alerts_above').default(5),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('projects_ping_key_key').on(table.pingKey), uniqueIndex('projects_badge_key_key').on(table.badgeKey)],
);
