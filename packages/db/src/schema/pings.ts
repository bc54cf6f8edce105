import type { StoredPingKind } from '@cronbeat/core';
import { bigint, customType, integer, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { checks } from './checks';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

export const pings = pgTable(
  'pings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    checkId: uuid('check_id')
      .notNull()
      .references(() => checks.id, { onDelete: 'cascade' }),
    /** The check's ping number: 1 for its first ping. */
    n: integer('n').notNull(),
    kind: text('kind').$type<StoredPingKind>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    exitStatus: smallint('exit_status'),
    rid: uuid('rid'),
    method: text('method').notNull(),
    scheme: text('scheme').notNull(),
    remoteAddr: text('remote_addr'),
    userAgent: text('user_agent'),
    /** The body when it is UTF-8, cut at the body limit. */
    body: text('body'),
    /** The body when it is not UTF-8, cut at the body limit. */
    bodyRaw: bytea('body_raw'),
    /** Bytes the client sent, before cutting. */
    bodySize: integer('body_size').notNull().default(0),
    /** Milliseconds, for pings that end a run whose start was seen. */
    duration: integer('duration'),
    /** The success or failure keyword found in the body that decided the ping's kind, so the ping log can say why; null when none did. */
    keyword: text('keyword'),
  },
  // Serves "pings of a check, newest first" and lookups by number.
  (table) => [uniqueIndex('pings_check_n_key').on(table.checkId, table.n)],
);
