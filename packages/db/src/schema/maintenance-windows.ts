import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { projects } from './projects';

export const MAINTENANCE_KINDS = ['once', 'recurring'] as const;
export type MaintenanceKind = (typeof MAINTENANCE_KINDS)[number];
export const MAINTENANCE_COVERAGES = ['project', 'tags', 'checks'] as const;
export type MaintenanceCoverage = (typeof MAINTENANCE_COVERAGES)[number];

/**
 * Planned downtime of a project (core's `MaintenanceWindow`): one-off
 * between `starts_at` and `ends_at`, or recurring at each fire time of
 * `cron` in `tz` for `duration` seconds. Rules about times are core's; the
 * constraints keep any writer from storing a window core cannot read.
 */
export const maintenanceWindows = pgTable(
  'maintenance_windows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind').$type<MaintenanceKind>().notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    cron: text('cron'),
    tz: text('tz'),
    /** Seconds each occurrence of a recurring window lasts, in real time. */
    duration: integer('duration'),
    coverage: text('coverage').$type<MaintenanceCoverage>().notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** Checks of the same project; a deleted check stays listed and simply matches nothing. */
    checkIds: uuid('check_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** When someone ended it (or the occurrence in force) early. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('maintenance_windows_project_id_idx').on(table.projectId),
    check('maintenance_windows_kind', sql`${table.kind} in ('once', 'recurring')`),
    check('maintenance_windows_coverage', sql`${table.coverage} in ('project', 'tags', 'checks')`),
    check(
      'maintenance_windows_once',
      sql`${table.kind} <> 'once' or (${table.startsAt} is not null and ${table.endsAt} is not null and ${table.endsAt} > ${table.startsAt}
        and ${table.cron} is null and ${table.tz} is null and ${table.duration} is null)`,
    ),
    check(
      'maintenance_windows_recurring',
      sql`${table.kind} <> 'recurring' or (${table.cron} is not null and ${table.tz} is not null and ${table.duration} > 0
        and ${table.startsAt} is null and ${table.endsAt} is null)`,
    ),
  ],
);
