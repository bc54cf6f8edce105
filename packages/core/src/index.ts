export { type BadgeState, type BadgeSummary, summarizeBadge } from './badge';
export {
  type CheckState,
  isRunning,
  newCheckState,
  runDeadline,
  runLimit,
  sweepAtAfterPing,
  sweepDue,
  withDeadlines,
} from './check';
export { DEFAULT_RETRY_POLICY, type FailedAttempt, nextAttemptAt, type RetryPolicy } from './delivery';
export { ValidationCode, ValidationError } from './errors';
export { evaluate, pause, resume, type Transition } from './evaluate';
export {
  applyPing,
  type PingInput,
  PingKind,
  type PingOutcome,
  parseExitStatus,
  pingKindForExitStatus,
  type StoredPingKind,
} from './ping';
export { nextReportAt, REPORT_PERIODS, type ReportPeriod, reportWindow } from './report';
export {
  type CronRule,
  nextCronFire,
  nextExpected,
  offsetAt,
  parseCron,
  parseGrace,
  parseMaxRuntime,
  parseSchedule,
  parseTimeZone,
  SCHEDULE_LIMITS,
  type Schedule,
  type ScheduleInput,
  upcoming,
} from './schedule';
export { type Flip, FlipReason, isAlerting, STATUSES, Status, WATCHED_STATUSES } from './status';
export { addSeconds, DAY, HOUR, MINUTE, YEAR } from './time';
