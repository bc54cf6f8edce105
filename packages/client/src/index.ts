/**
 * The Cronbeat SDK for Node: ping a check, wrap a function or a BullMQ
 * processor so each run reports start, success or failure. No dependencies.
 */
export {
  ApiError,
  type Channel,
  type ChannelChanges,
  type ChannelDetails,
  type ChannelInput,
  type ChannelKindInfo,
  type ChannelTestOutcome,
  type Check,
  type CheckInput,
  CronbeatApi,
  type MaintenanceWindow,
  type MaintenanceWindowChanges,
  type MaintenanceWindowInput,
} from './api.js';
export type { DeclaredChannel, Environment } from './channels-file.js';
export { type CrontabJob, type CrontabLine, parseCrontab, rewriteCrontab } from './crontab.js';
export { formatDuration, parseDuration } from './duration.js';
export {
  acquireLock,
  type HeldLock,
  type Lease,
  type LockAttempt,
  type LockHolder,
  type LockOptions,
  LockUnavailableError,
} from './lock.js';
export { type WithLockOptions, type WithLockResult, withLock } from './locked-run.js';
export type { DeclaredCoverage, DeclaredWindow, DeclaredWindowSchedule } from './maintenance-file.js';
export { type JobLike, type MonitorOptions, monitor, type ProcessorOptions, withCronbeat } from './monitor.js';
export { type DeclaredCheck, type MonitorsFile, parseMonitors, parseMonitorsFile } from './monitors-file.js';
export { type PingKind, type PingOptions, type PingResult, ping, pingUrl } from './ping.js';
export { type RunOptions, type RunOutcome, runMonitored } from './run.js';
export { type ClientSettings, settingsFrom } from './settings.js';
export {
  type ChannelChange,
  DeclarationError,
  formatChannelPlan,
  formatPlan,
  formatWindowPlan,
  planSync,
  type SyncChange,
  type SyncResult,
  syncChecks,
  syncMonitors,
  type WindowChange,
} from './sync.js';
export { planChannels } from './sync-channels.js';
export { planWindows } from './sync-windows.js';
export { TAIL_LIMIT, TailBuffer } from './tail.js';
export { parseYaml, YamlError, type YamlValue } from './yaml.js';
