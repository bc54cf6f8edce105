import { index, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { channels } from './channels';
import { checks } from './checks';

export const checkChannels = pgTable(
  'check_channels',
  {
    checkId: uuid('check_id')
      .notNull()
      .references(() => checks.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
  },
  (table) => [primaryKey({ columns: [table.checkId, table.channelId] }), index('check_channels_channel_id_idx').on(table.channelId)],
);
