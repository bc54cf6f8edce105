/**
 * A job that reports to Sentry Crons with the real @sentry/node SDK, run as
 * a process of its own (the SDK's globals stay out of the test runner):
 * `node sentry-job.mjs <scenario>` with SENTRY_DSN set. It prints one JSON
 * line: the HTTP status of every envelope the SDK's own transport sent, and
 * what the scenario returned (check-in ids).
 */
import * as Sentry from '@sentry/node';
import { CronJob } from 'cron';

const statuses = [];
const scenario = process.argv[2];

Sentry.init({
  dsn: process.env.SENTRY_DSN,
  environment: process.env.SENTRY_ENVIRONMENT || undefined,
  release: process.env.SENTRY_RELEASE || undefined,
  defaultIntegrations: false,
  // The SDK's Node transport, watched: what Cronbeat answered each envelope.
  transport: (options) => {
    const transport = Sentry.makeNodeTransport(options);
    return {
      ...transport,
      send: async (envelope) => {
        const response = await transport.send(envelope);
        statuses.push(response.statusCode ?? null);
        return response;
      },
    };
  },
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const scenarios = {
  /** captureCheckIn: in_progress, then ok with the same id. */
  async 'check-in'() {
    const checkInId = Sentry.captureCheckIn({ monitorSlug: 'nightly-backup', status: 'in_progress' });
    await Sentry.flush(5000);
    await sleep(1200);
    Sentry.captureCheckIn({ checkInId, monitorSlug: 'nightly-backup', status: 'ok', duration: 1.2 });
    return { checkInId };
  },
  /** withMonitor with a monitor_config: the check is made with its schedule. */
  async 'with-monitor'() {
    await Sentry.withMonitor('report', () => sleep(300), {
      schedule: { type: 'crontab', value: '30 2 * * *' },
      timezone: 'Europe/Berlin',
      checkinMargin: 5,
      maxRuntime: 20,
      failureIssueThreshold: 2,
      recoveryThreshold: 3,
    });
  },
  /** withMonitor around a job that throws: the run fails. */
  async 'failing-monitor'() {
    await Sentry.withMonitor(
      'import',
      async () => {
        throw new Error('the import broke');
      },
      { schedule: { type: 'interval', value: 2, unit: 'hour' } },
    ).catch(() => {});
  },
  /** The cron package, instrumented: a job every second, for about three seconds. */
  async cron() {
    const MonitoredCronJob = Sentry.cron.instrumentCron(CronJob, 'every-second');
    let ticks = 0;
    const job = new MonitoredCronJob('* * * * * *', () => {
      ticks += 1;
    });
    job.start();
    await sleep(3300);
    await job.stop();
    await sleep(200);
    return { ticks };
  },
  /** An error, as an app sending everything to this DSN would: accepted and dropped. */
  async exception() {
    Sentry.captureException(new Error('something broke'));
    Sentry.captureMessage('hello');
  },
};

const result = await scenarios[scenario]();
await Sentry.flush(5000);
await Sentry.close(5000);
process.stdout.write(`${JSON.stringify({ statuses, ...result })}\n`);
