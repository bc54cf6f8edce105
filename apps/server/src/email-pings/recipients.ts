import { checks, type Db, projects } from '@cronbeat/db';
import { and, eq } from 'drizzle-orm';
import type { MailTarget } from './address';

/**
 * Whether a check answers to this address: the same lookup a ping URL
 * makes, by ping code or by the project's ping key and the slug (never by
 * id), on the unique indexes of each. Asked at `RCPT TO`, so mail to no
 * check is refused before its data is sent and nothing bounces later.
 */
export async function checkAnswersTo(db: Db, target: MailTarget): Promise<boolean> {
  const rows =
    'pingCode' in target
      ? await db.select({ id: checks.id }).from(checks).where(eq(checks.pingCode, target.pingCode)).limit(1)
      : await db
          .select({ id: checks.id })
          .from(checks)
          .innerJoin(projects, eq(projects.id, checks.projectId))
          .where(and(eq(projects.pingKey, target.slug.pingKey), eq(checks.slug, target.slug.slug)))
          .limit(1);
  return rows.length > 0;
}
