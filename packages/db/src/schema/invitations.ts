import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ROLES } from './memberships';
import { projects } from './projects';
import { users } from './users';

/**
 * A standing offer to join a project with a role, addressed to an email.
 * Accepted by the signed-in user with that email, so no token has to travel
 * by mail for the offer to be safe.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** Stored lower-cased, like `users.email`. */
    email: text('email').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('invitations_project_email_key').on(table.projectId, table.email),
    index('invitations_email_idx').on(table.email),
  ],
);
