import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const REPORT_SETTINGS = ['off', 'weekly', 'monthly'] as const;
export type ReportSetting = (typeof REPORT_SETTINGS)[number];

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased so sign-in is case-insensitive. */
    email: text('email').notNull(),
    /** Memory-hard hash with its parameters; never the password. */
    passwordHash: text('password_hash').notNull(),
    /** The first account on a fresh install administers it. */
    isAdmin: boolean('is_admin').notNull().default(false),
    /** Whether this person gets an emailed summary of their projects, and how often. */
    reportEvery: text('report_every', { enum: REPORT_SETTINGS }).notNull().default('off'),
    /** When their next report is due; null while reports are off. */
    nextReportAt: timestamp('next_report_at', { withTimezone: true }),
    /** Their IANA time zone: reports go out at 09:00 there, and the dashboard may show times in it. */
    timeZone: text('time_zone').notNull().default('UTC'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_email_key').on(table.email),
    index('users_next_report_at_idx').on(table.nextReportAt).where(sql`${table.nextReportAt} is not null`),
  ],
);
