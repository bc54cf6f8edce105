/**
 * The run lock's lease (`run_locks`, one row per check, kept after release
 * so the fencing token keeps counting up). Time is the database's clock
 * (`now()`), the one clock every server shares. None of this touches the
 * ping path's statements: a lease is its own row, and a skipped ping its
 * own statement.
 */
import type { StoredPingKind } from '@cronbeat/core';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { queryRows } from '../rows';
import { checks, projects, runLocks } from '../schema';
import type { SlugRef } from './pings';

/** A check addressed as a ping URL does: by its ping code, or its project's ping key and its slug (never by id). */
export type CheckRef = { pingCode: string } | { slug: SlugRef };

/**
 * The id of the check at a ping address, or null when none has it: the
 * lookup of a lock URL and of an email ping's recipient, on the unique
 * indexes of ping codes and of slugs in a project.
 */
export async function checkIdByPingAddress(db: Db, address: CheckRef): Promise<string | null> {
  const [row] =
    'pingCode' in address
      ? await db.select({ id: checks.id }).from(checks).where(eq(checks.pingCode, address.pingCode))
      : await db
          .select({ id: checks.id })
          .from(checks)
          .innerJoin(projects, eq(projects.id, checks.projectId))
          .where(and(eq(projects.pingKey, address.slug.pingKey), eq(checks.slug, address.slug.slug)));
  return row?.id ?? null;
}

export interface LockRequester {
  id: string;
  host: string;
  pid: number;
}

export interface LockGranted {
  granted: true;
  token: number;
  expiresAt: Date;
}

export interface LockRefused {
  granted: false;
  holder: { host: string; pid: number; since: Date; expiresAt: Date };
}

/** Tries a grant this many times when the holder it was refused by is gone before it could be named. */
const GRANT_TRIES = 3;

/**
 * Grants the check's lease to `requester` for `ttl` seconds, or names who
 * holds it. The grant is one statement (insert, or update only where the
 * lease is free or lapsed), so of two racing requests Postgres lets exactly
 * one through, on PGlite as on a server. Each grant raises the fencing
 * token by one; a request from the holder itself (its answer was lost and
 * it asked again) is granted again with the same token and a new expiry.
 */
export async function acquireRunLock(db: Db, checkId: string, requester: LockRequester, ttl: number): Promise<LockGranted | LockRefused> {
  for (let attempt = 1; ; attempt++) {
    const [granted] = await db
      .insert(runLocks)
      .values({
        checkId,
        token: 1,
        holderId: requester.id,
        holderHost: requester.host,
        holderPid: requester.pid,
        acquiredAt: sql`now()`,
        expiresAt: sql`now() + make_interval(secs => ${ttl}::int)`,
      })
      .onConflictDoUpdate({
        target: runLocks.checkId,
        set: {
          token: sql`case when ${runLocks.holderId} = excluded.holder_id and ${runLocks.expiresAt} > now()
                       then ${runLocks.token} else ${runLocks.token} + 1 end`,
          holderId: sql`excluded.holder_id`,
          holderHost: sql`excluded.holder_host`,
          holderPid: sql`excluded.holder_pid`,
          acquiredAt: sql`case when ${runLocks.holderId} = excluded.holder_id and ${runLocks.expiresAt} > now()
                            then ${runLocks.acquiredAt} else now() end`,
          expiresAt: sql`excluded.expires_at`,
        },
        setWhere: sql`${runLocks.expiresAt} is null or ${runLocks.expiresAt} <= now() or ${runLocks.holderId} = excluded.holder_id`,
      })
      .returning({ token: runLocks.token, expiresAt: runLocks.expiresAt });
    if (granted?.expiresAt) return { granted: true, token: granted.token, expiresAt: granted.expiresAt };

    const [held] = await db
      .select({ host: runLocks.holderHost, pid: runLocks.holderPid, since: runLocks.acquiredAt, expiresAt: runLocks.expiresAt })
      .from(runLocks)
      .where(and(eq(runLocks.checkId, checkId), sql`${runLocks.expiresAt} > now()`));
    if (held?.since && held.expiresAt) {
      return { granted: false, holder: { host: held.host ?? '', pid: held.pid ?? 0, since: held.since, expiresAt: held.expiresAt } };
    }
    // Released or lapsed between the two statements: ask again.
    if (attempt === GRANT_TRIES) throw new Error(`run lock of check ${checkId}: refused, but no holder found ${GRANT_TRIES} times`);
  }
}

/** Extends the lease by `ttl` seconds from now if `holderId` still holds it (no one was granted it since); null otherwise. */
export async function renewRunLock(
  db: Db,
  checkId: string,
  holderId: string,
  ttl: number,
): Promise<{ token: number; expiresAt: Date } | null> {
  const [renewed] = await db
    .update(runLocks)
    .set({ expiresAt: sql`now() + make_interval(secs => ${ttl}::int)` })
    .where(and(eq(runLocks.checkId, checkId), eq(runLocks.holderId, holderId)))
    .returning({ token: runLocks.token, expiresAt: runLocks.expiresAt });
  return renewed?.expiresAt ? { token: renewed.token, expiresAt: renewed.expiresAt } : null;
}

/** Frees the lease if `holderId` holds it; false when it does not (released already, or lapsed and granted to another). */
export async function releaseRunLock(db: Db, checkId: string, holderId: string): Promise<boolean> {
  const released = await db
    .update(runLocks)
    .set({ holderId: null, holderHost: null, holderPid: null, acquiredAt: null, expiresAt: null })
    .where(and(eq(runLocks.checkId, checkId), eq(runLocks.holderId, holderId)))
    .returning({ checkId: runLocks.checkId });
  return released.length > 0;
}

/** The request a refused runner made, stored as its `skipped` ping. */
export interface SkippedPing {
  method: string;
  scheme: string;
  remoteAddr: string | null;
  userAgent: string | null;
  body: string;
}

const SKIPPED: StoredPingKind = 'skipped';

/**
 * Stores a `skipped` ping: the next ping number of the check and the ping
 * row, in one statement. It changes nothing else on the check (status, run
 * state and deadlines stay as they are). Its own statement, not the ping
 * path's batch: the ping path finds the row changed and reads it again, as
 * after any edit.
 */
export async function recordSkippedPing(db: Db, checkId: string, ping: SkippedPing): Promise<void> {
  await queryRows(
    db,
    sql`with numbered as (
          update checks set n_pings = n_pings + 1 where id = ${checkId} returning n_pings
        )
        insert into pings (check_id, n, kind, method, scheme, remote_addr, user_agent, body, body_size)
        select ${checkId}::uuid, n_pings, ${SKIPPED}::text, ${ping.method}::text, ${ping.scheme}::text, ${ping.remoteAddr}::text,
               ${ping.userAgent}::text, ${ping.body}::text, ${Buffer.byteLength(ping.body)}::int
          from numbered`,
  );
}
