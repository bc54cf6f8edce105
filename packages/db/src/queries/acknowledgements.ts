/**
 * Acknowledging an incident: a person says "I am on it", so the sweep makes
 * no more reminders of it (core's `followUp`). The incident is the check's
 * latest flip to down, while the check is still down.
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../client';
import { checks } from '../schema/checks';
import { flips } from '../schema/flips';
import { users } from '../schema/users';
import type { FlipRow } from './check-history';

export type AcknowledgeOutcome =
  /** The incident's flip to down, acknowledged now or before (the first acknowledgement stands). */
  | { outcome: 'acknowledged'; flip: FlipRow }
  /** The check is in another status: there is no incident to acknowledge. */
  | { outcome: 'not_down'; status: string }
  | { outcome: 'no_check' };

/**
 * Acknowledges the current incident of check `checkId` of `projectId` by
 * `userId` (null for an API key) at `now`. Idempotent: a second call
 * returns the incident as first acknowledged. An incident that ends while
 * this runs may be acknowledged as it ends, which changes nothing: its
 * recovery is told either way.
 */
export async function acknowledgeIncident(
  db: Db,
  projectId: string,
  checkId: string,
  userId: string | null,
  now: Date,
): Promise<AcknowledgeOutcome> {
  return db.transaction(async (tx) => {
    const [check] = await tx
      .select({ status: checks.status })
      .from(checks)
      .where(and(eq(checks.projectId, projectId), eq(checks.id, checkId)));
    if (!check) return { outcome: 'no_check' };
    const [incident] = await tx
      .select()
      .from(flips)
      .where(and(eq(flips.checkId, checkId), eq(flips.toStatus, 'down')))
      .orderBy(desc(flips.id))
      .limit(1);
    // A check seeded down without a flip has no incident on record either.
    if (check.status !== 'down' || !incident) return { outcome: 'not_down', status: check.status };
    if (incident.acknowledgedAt) return { outcome: 'acknowledged', flip: incident };
    const [acknowledged] = await tx
      .update(flips)
      .set({ acknowledgedAt: now, acknowledgedBy: userId })
      .where(and(eq(flips.id, incident.id), isNull(flips.acknowledgedAt)))
      .returning();
    if (acknowledged) return { outcome: 'acknowledged', flip: acknowledged };
    // Someone else acknowledged it between the read and the update: theirs stands.
    const [theirs] = await tx.select().from(flips).where(eq(flips.id, incident.id));
    return { outcome: 'acknowledged', flip: theirs ?? incident };
  });
}

/** The email of each account that acknowledged one of `flipRows`, by user id, for the flips' answers. */
export async function acknowledgerEmails(db: Db, flipRows: ReadonlyArray<Pick<FlipRow, 'acknowledgedBy'>>): Promise<Map<string, string>> {
  const ids = [...new Set(flipRows.flatMap((flip) => (flip.acknowledgedBy ? [flip.acknowledgedBy] : [])))];
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((row) => [row.id, row.email]));
}
