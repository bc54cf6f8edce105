import { setTimeout as delay } from 'node:timers/promises';
import {
  CheckInError,
  checkInKind,
  checkInRunId,
  type MonitorSettings,
  monitorCheckSlug,
  monitorSettings,
  type PingKind,
} from '@cronbeat/core';
import { type CheckRow, type Db, ensureSlugCheck, findCheckBy, type SentryProject } from '@cronbeat/db';
import type { PingResult, ReceivedPing } from '../../ping/batch';
import { CreateRate } from '../../ping/create-rate';
import type { PingRecorder } from '../../ping/recorder';
import { editCheck } from '../api/checks/edit';
import { RunOrder } from './run-order';

/** A check-in's fields as Sentry names them, not yet judged: envelopes and the HTTP form both give these. */
export interface CheckInFields {
  monitor_slug?: unknown;
  status?: unknown;
  check_in_id?: unknown;
  environment?: unknown;
  duration?: unknown;
  monitor_config?: unknown;
}

/** A check-in judged by core's rules. */
export interface CheckIn {
  slug: string;
  kind: PingKind;
  rid: string | null;
  /** Milliseconds the SDK says the run took, used when no in_progress check-in pairs with this end. */
  reportedDuration: number | null;
  settings: MonitorSettings | null;
}

/** Reads a check-in; throws CheckInError naming the field Sentry's name for it. */
export function readCheckIn(fields: CheckInFields): CheckIn {
  const { duration } = fields;
  // The run's duration is measured from its in_progress check-in; the one sent counts when none pairs with it.
  if (duration !== undefined && duration !== null && (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0)) {
    throw new CheckInError('duration', 'must be a number of seconds, 0 or more');
  }
  const config = fields.monitor_config;
  return {
    slug: monitorCheckSlug(fields.monitor_slug, fields.environment),
    kind: checkInKind(fields.status),
    rid: checkInRunId(fields.check_in_id),
    reportedDuration: typeof duration === 'number' ? Math.round(duration * 1000) : null,
    settings: config === undefined || config === null ? null : monitorSettings(config),
  };
}

/** A `monitor_config` that would make a check the project does not allow (its `?create=1` limit), or too many too fast. */
export class MonitorNotCreated extends Error {
  override readonly name = 'MonitorNotCreated';
  constructor(
    readonly status: 403 | 429,
    message: string,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/** How long a check-in whose check is missing waits for the in_progress check-in (and its monitor_config) it may have overtaken. */
const OVERTAKEN_WAIT_MS = 1000;

/** What became of a check-in: recorded, or no check has its monitor and environment (and it brought no monitor_config). */
export type CheckInOutcome = 'recorded' | 'no-check';

/** The request facts a ping keeps. */
export type PingSource = Pick<ReceivedPing, 'at' | 'method' | 'scheme' | 'remoteAddr' | 'userAgent'>;

/**
 * Records check-ins as pings: through the app's one ping recorder, as
 * `/ping/<ping-key>/<slug>` pings are, so a `200` means stored and its
 * back-pressure (`PingNotStoredError`, a 503) applies. A `monitor_config`
 * first makes the check if there is none, as a `?create=1` ping would
 * (under the project's limit, and this process's 60 a minute per project),
 * and sets its schedule and policies through the API's own edit.
 */
export class CheckInRecorder {
  readonly #db: Db;
  readonly #recorder: PingRecorder;
  readonly #createRate = new CreateRate();
  /** The last check-in handed on for each project and check slug, while one is under way. */
  readonly #lanes = new Map<string, Promise<void>>();
  readonly #runs = new RunOrder();

  constructor(db: Db, recorder: PingRecorder) {
    this.#db = db;
    this.#recorder = recorder;
  }

  async record(project: SentryProject, checkIn: CheckIn, source: PingSource): Promise<CheckInOutcome> {
    const outcome = await this.#inLane(project, checkIn, source);
    if (outcome === 'recorded' || checkIn.settings) return outcome;
    // A job that ends at once sends its ok as the in_progress that makes its check is still on its
    // way, on another connection, and the ok may overtake it: it is tried once more, a moment later.
    await delay(OVERTAKEN_WAIT_MS);
    return this.#inLane(project, checkIn, { ...source, at: new Date() });
  }

  /**
   * One lane per check: the check-ins of a monitor are handed to the
   * recorder in the order they came, each after the monitor_config of those
   * before it made or changed the check.
   */
  async #inLane(project: SentryProject, checkIn: CheckIn, source: PingSource): Promise<CheckInOutcome> {
    const key = `${project.id}/${checkIn.slug}`;
    const before = this.#lanes.get(key);
    const enqueue = () => this.#enqueue(project, checkIn, source);
    const enqueued = before ? before.then(enqueue) : enqueue();
    const lane = enqueued.then(
      () => undefined,
      () => undefined,
    );
    this.#lanes.set(key, lane);
    void lane.then(() => {
      if (this.#lanes.get(key) === lane) this.#lanes.delete(key);
    });
    const { stored } = await enqueued;
    return stored === null || (await stored).recorded ? 'recorded' : 'no-check';
  }

  /**
   * Makes or changes the check when the check-in asks, then hands the ping
   * to the recorder, which keeps each check's pings in the order handed.
   * Resolves once handed (wrapped, so the commit is not awaited here);
   * `stored` is null for a start whose run already ended (`RunOrder`).
   */
  async #enqueue(project: SentryProject, checkIn: CheckIn, source: PingSource): Promise<{ stored: Promise<PingResult> | null }> {
    const pingCode = checkIn.settings ? await this.#upsert(project, checkIn.slug, checkIn.settings) : null;
    const ping: ReceivedPing = {
      target: pingCode ? { pingCode } : { slug: { pingKey: project.pingKey, slug: checkIn.slug } },
      kind: checkIn.kind,
      exitStatus: null,
      rid: checkIn.rid,
      reportedDuration: checkIn.reportedDuration,
      ...source,
      body: null,
      bodyRaw: null,
      bodySize: 0,
    };
    if (!checkIn.rid) return { stored: this.#recorder.record(ping) };
    const run = `${project.id}/${checkIn.slug}/${checkIn.rid}`;
    if (checkIn.kind === 'start') {
      if (!(await this.#runs.starts(run))) return { stored: null };
      return { stored: this.#recorder.record(ping) };
    }
    const stored = this.#recorder.record(ping);
    this.#runs.ended(run, stored);
    return { stored };
  }

  /** The ping code of the monitor's check, made or changed to what `settings` asks (left alone when it already is). */
  async #upsert(project: SentryProject, slug: string, settings: MonitorSettings): Promise<string> {
    const existing = await findCheckBy(this.#db, project.id, 'slug', slug);
    if (existing && hasSettings(existing, settings)) return existing.pingCode;
    let checkId = existing?.id;
    if (!checkId) {
      const wait = this.#createRate.take(project.id);
      if (wait > 0) {
        throw new MonitorNotCreated(429, `too many checks created in this project (at most ${this.#createRate.perMinute} a minute)`, wait);
      }
      const made = await ensureSlugCheck(this.#db, { pingKey: project.pingKey, slug });
      if (made?.outcome !== 'created') this.#createRate.refund(project.id);
      if (!made) throw new MonitorNotCreated(403, 'the project of this DSN is gone');
      if (made.outcome === 'limit-reached') {
        throw new MonitorNotCreated(
          403,
          `this project allows ${made.limit} checks made by pings and check-ins, and has them all: create the check in the dashboard or raise the limit`,
        );
      }
      checkId = made.checkId;
    }
    const { schedule, grace, maxRuntime, failureThreshold, recoveryThreshold } = settings;
    const edited = await editCheck(this.#db, project.id, checkId, {
      ...(schedule.kind === 'cron' ? { cron: schedule.cron, tz: schedule.tz } : { period: schedule.period }),
      grace,
      maxRuntime,
      failureThreshold,
      recoveryThreshold,
    });
    return edited.pingCode;
  }
}

/** Whether the check already has what a monitor_config asks: most check-ins repeat it, and need not rewrite the check. */
function hasSettings(row: CheckRow, settings: MonitorSettings): boolean {
  const { schedule } = settings;
  const sameSchedule =
    schedule.kind === 'cron' ? row.cron === schedule.cron && row.tz === schedule.tz : row.period === schedule.period && row.cron === null;
  return (
    sameSchedule &&
    row.grace === settings.grace &&
    row.maxRuntime === settings.maxRuntime &&
    row.failureThreshold === settings.failureThreshold &&
    row.recoveryThreshold === settings.recoveryThreshold
  );
}
