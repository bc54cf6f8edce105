/**
 * Summary reports, run with the maintenance job: make the reports that have
 * fallen due, then send the pending ones. A report is claimed before it is
 * sent, so concurrent workers send it once; one that fails for a while is
 * tried again on later runs, up to REPORT_MAX_ATTEMPTS.
 */
import { claimReport, type Db, openDueReports, pendingReportIds, recordReportAttempt, reportProjects } from '@cronbeat/db';
import { DeliveryError, type Notifier } from '@cronbeat/notify';

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
        projects,
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
