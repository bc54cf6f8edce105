export {
  type AlertContext,
  type AlertHold,
  type AlertVerdict,
  alertVerdict,
  type FollowUp,
  type FollowUpInput,
  followUp,
  groupedProjects,
  type HeldFlip,
  releaseVerdict,
} from './alert-hold';
export { type AutoCreateDecision, type AutoCreatePolicy, autoCreateCheck } from './auto-create';
export { type BadgeState, type BadgeSummary, type CheckBadgeState, type InMaintenance, summarizeBadge, summarizeCheckBadge } from './badge';
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
export {
  CHANNEL_EVENTS,
  CHANNEL_KINDS,
  type ChannelEvent,
  type ChannelKind,
  DEFAULT_RETRY_POLICY,
  type FailedAttempt,
  MAX_RETRY_AFTER_MS,
  nextAttemptAt,
  type RetryPolicy,
} from './delivery';
export { DEPENDENCY_LIMITS, type DependencyEdge, downParents, findCycle } from './dependencies';
export { ValidationCode, ValidationError } from './errors';
export { evaluate, type PausedOrResumed, pause, resume, type Transition } from './evaluate';
export {
  coversCheck,
  MAINTENANCE_LIMITS,
  type MaintenanceSchedule,
  type MaintenanceWindow,
  type MaintenanceWindowInput,
  type MaintenanceWindowSpec,
  maintenanceAt,
  nextMaintenance,
  nextOccurrence,
  type Occurrence,
  occurrenceAt,
  parseMaintenanceWindow,
  type WindowCoverage,
} from './maintenance';
export {
  applyPing,
  type ClosedRun,
  EMAIL_PING_METHOD,
  ignoresPings,
  PING_METHOD_SETTINGS,
  type PingInput,
  PingKind,
  type PingMethods,
  type PingOutcome,
  parseExitStatus,
  pingKindForExitStatus,
  runClosedBy,
  type StoredPingKind,
  takesMethod,
} from './ping';
export { applyPings, type PingedCheck, type PingsApplied, type StoredPing, withRunStart } from './pinged-check';
export {
  checksToShow,
  nextReportAt,
  type PeriodFigures,
  REPORT_HOUR,
  REPORT_LIMITS,
  REPORT_PERIODS,
  type ReportPeriod,
  reportWindow,
  worstFirst,
} from './report';
export { type Counted, countFailure, countSuccess } from './run-count';
export {
  durationAnomaly,
  earlyRun,
  endRun,
  type KeywordMatch,
  matchKeyword,
  scheduledTimeOf,
  startRun,
  withDuration,
} from './run-judgement';
export { type LockHolder, RUN_LOCK_LIMITS, readSkippedPing, renewEveryMs, skippedPingBody } from './run-lock';
export {
  DEFAULT_RUN_POLICY,
  type DurationAnomaly,
  EMPTY_RUN_RECORD,
  type FailedRun,
  type FlipRuns,
  type OpenRun,
  RUN_POLICY_LIMITS,
  RunFailure,
  type RunPolicy,
  type RunRecord,
} from './run-policy';
export {
  type CronRule,
  isCalendarSchedule,
  nextCronFire,
  nextExpected,
  nextOnCalendarFire,
  ON_CALENDAR_MAX_LENGTH,
  type OnCalendarRule,
  offsetAt,
  parseCron,
  parseGrace,
  parseMaxRuntime,
  parseOnCalendar,
  parseSchedule,
  parseTimeZone,
  SCHEDULE_LIMITS,
  type Schedule,
  type ScheduleInput,
  upcoming,
} from './schedule';
export {
  CheckInError,
  checkInKind,
  checkInRunId,
  DEFAULT_ENVIRONMENT,
  ENVIRONMENT_SEPARATOR,
  type MonitorSettings,
  monitorCheckSlug,
  monitorSettings,
} from './sentry-monitor';
export { type Flip, FlipReason, isAlerting, STATUSES, Status, WATCHED_STATUSES } from './status';
export { addSeconds, DAY, HOUR, MINUTE, YEAR } from './time';
export {
  type Incident,
  overallState,
  PUBLIC_STATES,
  type PublicState,
  publicState,
  type StatusChange,
  UPTIME_LIMITS,
  type UptimeDay,
  type UptimeInput,
  type UptimeReport,
  uptimeReport,
  uptimeShare,
  uptimeWindowStart,
} from './uptime';
