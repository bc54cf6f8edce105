import { CHANNEL_EVENTS, CHANNEL_KINDS, type ChannelEvent, type ChannelKind } from '@cronbeat/core';
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { projects } from './projects';

// The lists live in core, beside the retry policy, so the API and the channel modules share them.
export { CHANNEL_EVENTS, CHANNEL_KINDS, type ChannelEvent, type ChannelKind };

export const channels = pgTable(
  'channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<ChannelKind>().notNull(),
    name: text('name').notNull(),
    /** Kind-specific settings (address, webhook URL, secret…), validated by the channel's module. */
    config: jsonb('config').$type<Record<string, unknown>>().notNull(),
    /** The events this channel is sent (a subset of CHANNEL_EVENTS); notifications are made for these only. Default: all. */
    events: text('events').array().$type<ChannelEvent[]>().notNull().default(sql`'{down,up,late,still_down}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    lastDeliveredAt: timestamp('last_delivered_at', { withTimezone: true }),
  },
  (table) => [index('channels_project_id_idx').on(table.projectId)],
);
