/**
 * Summary reports, run with the maintenance job: make the reports that have
 * fallen due (09:00 in each person's zone), then send the pending ones. A
 * report is claimed before it is sent, so concurrent workers send it once;
 * one that fails for a while is tried again on later runs, up to
 * REPORT_MAX_ATTEMPTS. What it says is measured in the database and ranked
 * by core: uptime by the status pages' rule, worst checks first, at most
 * REPORT_LIMITS.checksPerProject of them per project.
 */
import { checksToShow, uptimeShare } from '@cronbeat/core';
import {
  claimReport,
  type Db,
  openDueReports,
  pendingReportIds,
  type ReportProject,
  recordReportAttempt,
  reportProjects,
} from '@cronbeat/db';
import { DeliveryError, type Notifier, type Report } from '@cronbeat/notify';

export interface ReportsResult {
  made: number;
  sent: number;
  failed: number;
}

export interface ReportsContext {
  db: Db;
  notifier: Pick<Notifier, 'sendReport'>;
  /** The dashboard's address, linked from every report. */
  baseUrl: string;
  /** How long a worker may hold a report while sending it. */
  leaseMs: number;
  batchSize: number;
  now?: Date;
}

export async function sendReports(context: ReportsContext): Promise<ReportsResult> {
  const { db, notifier, baseUrl, leaseMs, batchSize } = context;
  const made = await openDueReports(db, context.now ?? new Date(), batchSize);
  const result = { made, sent: 0, failed: 0 };
  for (const id of await pendingReportIds(db, batchSize)) {
    const report = await claimReport(db, id, leaseMs);
    if (!report) continue;
    const projects = await reportProjects(db, report.userId, report.periodStart, report.periodEnd);
    try {
      await notifier.sendReport(report.email, {
        period: report.period,
        start: report.periodStart,
        end: report.periodEnd,
        timeZone: report.timeZone,
        projects: projects.map(rankedProject),
        url: baseUrl,
      });
      await recordReportAttempt(db, id, { sent: true });
      result.sent += 1;
    } catch (error) {
      const permanent = error instanceof DeliveryError && error.permanent;
      await recordReportAttempt(db, id, { sent: false, error: (error as Error).message, permanent });
      result.failed += 1;
    }
  }
  return result;
}

/** A project as its report shows it: uptime from the time in each status, the worst checks first, the rest counted. */
function rankedProject(project: ReportProject): Report['projects'][number] {
  const checks = project.checks.map(({ secondsByStatus, ...check }) => ({ ...check, uptime: uptimeShare(secondsByStatus) }));
  const { shown, more, moreAllClean } = checksToShow(checks);
  return {
    name: project.name,
    checks: shown,
    more,
    moreAllClean,
    total: checks.length,
    downNow: checks.filter((c) => c.status === 'down').length,
  };
}
