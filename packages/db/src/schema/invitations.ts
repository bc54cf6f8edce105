import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ROLES } from './memberships';
import { projects } from './projects';
import { users } from './users';

/**
 * An offer to join a project with a role, sent to an email. It is accepted
 * with its one-time token, which travels only in the invitation's link (by
 * email, or passed on by the admin who made it): an account's email is not
 * verified, so signing up with the invited address proves nothing.
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
    /** SHA-256 (hex) of the token in the invitation's link; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    /** After this the link no longer works; inviting the same email again sends a new one. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('invitations_project_email_key').on(table.projectId, table.email),
    index('invitations_email_idx').on(table.email),
    uniqueIndex('invitations_token_hash_key').on(table.tokenHash),
  ],
);
