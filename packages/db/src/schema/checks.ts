import type { PingMethods, Status } from '@cronbeat/core';
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { projects } from './projects';

export const checks = pgTable(
  'checks',
  {
    /** The check's identity in the API and the dashboard; it does not ping (see `pingCode`). */
    id: uuid('id').primaryKey().defaultRandom(),
    /**
     * The secret in `/ping/<ping-code>` URLs, apart from the id so that
     * seeing a check (read-only members and keys, alert links) lets nobody
     * ping it. Random for new checks; checks made before it existed took
     * their id, so their URLs kept working. Rotating it ends the old URL.
     */
    pingCode: uuid('ping_code').notNull().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    slug: text('slug'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    description: text('description').notNull().default(''),

    /** Seconds between pings; null for cron schedules. */
    period: integer('period'),
    /** Five-field cron expression; null for period and OnCalendar schedules. */
    cron: text('cron'),
    /** systemd OnCalendar expression (one or more, newline-separated); null for period and cron schedules. */
    onCalendar: text('oncalendar'),
    /** IANA zone the cron or OnCalendar expression is evaluated in. */
    tz: text('tz').notNull().default('UTC'),
    /** Seconds. */
    grace: integer('grace').notNull(),
    /** Seconds; null means the grace time. */
    maxRuntime: integer('max_runtime'),
    manualResume: boolean('manual_resume').notNull().default(false),
    /** Which requests ping: '' any method, 'POST' only POST (a GET or HEAD is stored as ignored). */
    methods: text('methods').$type<PingMethods>().notNull().default(''),
    /** Alert when the check turns late, not only when it goes down. */
    alertOnLate: boolean('alert_on_late').notNull().default(false),
    /** Seconds: while the check stays down, alert again this often. Null: only when it goes down. */
    remindEvery: integer('remind_every'),
    /**
     * Alert policies (core's `RunPolicy`). Failed runs in a row before the
     * check goes down, so one flaky run does not wake anybody: 1 is the old
     * behaviour, which every existing check keeps.
     */
    failureThreshold: smallint('failure_threshold').notNull().default(1),
    /** Successful runs in a row before a down check is up again, so a check that fails every other run stays down. */
    recoveryThreshold: smallint('recovery_threshold').notNull().default(1),
    /** A ping whose body contains one of these (case-insensitive) is a successful run, whatever URL it came to. */
    successKeywords: text('success_keywords').array().notNull().default(sql`'{}'::text[]`),
    /** A ping whose body contains one of these (case-insensitive) is a failed run, for jobs that cannot choose their URL. */
    failureKeywords: text('failure_keywords').array().notNull().default(sql`'{}'::text[]`),
    /** A ping whose body contains one of these (case-insensitive) starts a run: for email pings, whose address cannot say so. */
    startKeywords: text('start_keywords').array().notNull().default(sql`'{}'::text[]`),
    /** Seconds a cron job may run before its scheduled time without failing as `early`; null: off. */
    earlyTolerance: integer('early_tolerance'),
    /** Runs open at once above this fail as `overlap`; null: off. */
    maxConcurrentRuns: smallint('max_concurrent_runs'),
    /**
     * Unusually slow or fast runs, in the API's JSON shape ({mode: 'auto',
     * factor} or {mode: 'bounds', minDuration, maxDuration}); JSON because
     * its fields depend on its mode. Null: off.
     */
    durationAnomaly: jsonb('duration_anomaly'),
    /**
     * What the policies remember between runs (core's `RunRecord` as JSON:
     * failures, successes, openRuns, durations; dates as ISO strings). One
     * column on the check's own row, so the ping path reads and writes it
     * in the statement it already runs instead of a second table.
     */
    runRecord: jsonb('run_record').notNull().default(sql`'{}'::jsonb`),
    /** Made by a `?create=1` ping; counted against the project's `autoCreateLimit`. */
    autoCreated: boolean('auto_created').notNull().default(false),

    status: text('status').$type<Status>().notNull().default('new'),
    lastPing: timestamp('last_ping', { withTimezone: true }),
    lastStart: timestamp('last_start', { withTimezone: true }),
    lastStartRid: uuid('last_start_rid'),
    /** Milliseconds. */
    lastDuration: integer('last_duration'),
    nPings: integer('n_pings').notNull().default(0),
    /** When the next ping is expected; the check turns late after it. */
    nextDue: timestamp('next_due', { withTimezone: true }),
    /** When the check goes down if nothing more arrives. */
    alertAfter: timestamp('alert_after', { withTimezone: true }),
    /**
     * When the sweep looks at the check next: never later than the moment time
     * alone can change it (core's `sweepDue`), but it may be earlier, so pings
     * that only push the deadline later can leave it, and the row, in place.
     */
    sweepAt: timestamp('sweep_at', { withTimezone: true }),
    /**
     * When the sweep looks at the check's reminders next: the next reminder's
     * time while it is down with `remind_every`. Set by whatever puts it down
     * (the sweep, or the outbox for a ping's flip); pings and other changes
     * leave it, and the sweep clears it when it finds the check no longer
     * down. Reminders thus cost what is due, not what is down.
     */
    remindAt: timestamp('remind_at', { withTimezone: true }),

    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('checks_one_schedule', sql`num_nonnulls(${table.period}, ${table.cron}, ${table.onCalendar}) = 1`),
    check('checks_methods', sql`${table.methods} in ('', 'POST')`),
    check('checks_status', sql`${table.status} in ('new', 'up', 'late', 'down', 'paused')`),
    check('checks_remind_every', sql`${table.remindEvery} is null or ${table.remindEvery} > 0`),
    // The API refuses other values; these keep any other writer from storing a threshold core cannot reach or would never leave.
    check('checks_failure_threshold', sql`${table.failureThreshold} between 1 and 100`),
    check('checks_recovery_threshold', sql`${table.recoveryThreshold} between 1 and 100`),
    uniqueIndex('checks_project_slug_key').on(table.projectId, table.slug),
    uniqueIndex('checks_ping_code_key').on(table.pingCode),
    index('checks_project_id_idx').on(table.projectId, table.createdAt),
    // The sweep reads only this, so its cost follows the due checks, not all checks.
    index('checks_sweep_at_idx').on(table.sweepAt).where(sql`${table.sweepAt} is not null`),
    // Reminders are claimed by time, like the sweep.
    index('checks_remind_at_idx').on(table.remindAt).where(sql`${table.remindAt} is not null`),
    // No write may leave a check for the sweep to find too late (sweepDue, in SQL).
    check(
      'checks_swept_in_time',
      sql`case
        when ${table.status} = 'up' and ${table.lastStart} is null
          then ${table.nextDue} is null or (${table.sweepAt} is not null and ${table.sweepAt} <= ${table.nextDue})
        when ${table.status} in ('new', 'up', 'late')
          then ${table.alertAfter} is null or (${table.sweepAt} is not null and ${table.sweepAt} <= ${table.alertAfter})
        else true
      end`,
    ),
  ],
);
