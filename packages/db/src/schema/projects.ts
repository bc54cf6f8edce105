import { sql } from 'drizzle-orm';
import { bigint, boolean, integer, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

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
    /**
     * Secret of the project's Sentry DSN (`http://<sentry-key>@<host>/<sentry-ref>`),
     * which Sentry SDKs send check-ins with. 32 hex digits: Sentry's DSN
     * parser takes only `\w+` as a key, so the ping key (base64url, may
     * hold `-`) cannot serve. Rotated on its own, apart from the ping key.
     */
    sentryKey: text('sentry_key').notNull().default(sql`replace(gen_random_uuid()::text, '-', '')`),
    /**
     * The project in Sentry DSNs and their URLs (`/api/<sentry-ref>/envelope/`):
     * Sentry's DSN parser wants digits there, so the project's UUID cannot
     * serve. Not a secret (the key is); numbered by Postgres, never reused.
     */
    sentryRef: bigint('sentry_ref', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
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
  (table) => [
    uniqueIndex('projects_ping_key_key').on(table.pingKey),
    uniqueIndex('projects_badge_key_key').on(table.badgeKey),
    uniqueIndex('projects_sentry_ref_key').on(table.sentryRef),
  ],
);
