/** Shapes of the REST API v1 and /auth answers the dashboard reads (camelCase, ISO-8601 UTC times). */

export const STATUSES = ['new', 'up', 'late', 'down', 'paused'] as const;
export type Status = (typeof STATUSES)[number];

export const ROLES = ['owner', 'admin', 'member', 'readonly'] as const;
export type Role = (typeof ROLES)[number];

export type ReportEvery = 'off' | 'weekly' | 'monthly';

export interface User {
  id: string;
  email: string;
  /** How often this person gets an emailed summary of their projects. */
  reportEvery: ReportEvery;
  nextReportAt: string | null;
}

export interface Project {
  id: string;
  name: string;
  role: Role;
  /** Most checks `?create=1` pings may make in the project; 0: none. */
  autoCreateLimit?: number;
  /** Whether a check made by a `?create=1` ping alerts every channel of the project. */
  autoCreateAttachChannels?: boolean;
  /** The key of slug ping URLs; only admins get it. */
  pingKey?: string;
}

export interface Check {
  id: string;
  name: string;
  slug: string | null;
  tags: string[];
  description: string;
  /** Seconds between runs, when the schedule is a period. */
  period: number | null;
  cron: string | null;
  /** IANA zone of `cron`. */
  tz: string;
  /** Seconds. */
  grace: number;
  /** Seconds, or null for no limit. */
  maxRuntime: number | null;
  manualResume: boolean;
  /** Alert on turning late too, not only on going down. */
  alertOnLate: boolean;
  /** Seconds between reminders while down; null: none. */
  remindEvery: number | null;
  channels?: string[];
  status: Status;
  running: boolean;
  lastPing: string | null;
  nextPing: string | null;
  alertAfter: string | null;
  /** Milliseconds. */
  lastDuration: number | null;
  nPings: number;
  /** The secret in the ping URL, apart from the id; absent for read-only callers, who may not ping. */
  pingCode?: string;
  /** `<base>/ping/<pingCode>`; absent for read-only callers. */
  pingUrl?: string;
  createdAt: string;
}

/** What the editor sends: the writable fields of a check. */
export interface CheckInput {
  name: string;
  slug?: string | null;
  tags: string[];
  description: string;
  /** Give `period`, or `cron` with `tz`, never both. */
  period?: number;
  cron?: string;
  tz?: string;
  grace: number;
  maxRuntime?: number | null;
  manualResume: boolean;
  /** Alert on turning late too, not only on going down. */
  alertOnLate: boolean;
  remindEvery: number | null;
  channels?: string[];
}

export type PingKind = 'success' | 'start' | 'fail' | 'log' | 'ignored';

export interface Ping {
  n: number;
  kind: PingKind;
  createdAt: string;
  exitStatus: number | null;
  rid: string | null;
  method: string;
  scheme: string;
  remoteAddr: string | null;
  userAgent: string | null;
  /** Bytes sent; the stored part comes from /pings/:n/body. */
  bodySize: number;
  /** Milliseconds, for the end of a run that had a start. */
  duration: number | null;
}

export interface Flip {
  from: Status;
  to: Status;
  reason: string;
  at: string;
}

export type ChannelKind = 'email' | 'slack' | 'webhook';

export interface Channel {
  id: string;
  kind: ChannelKind;
  name: string;
  /** Absent for read-only callers: it holds webhook URLs and secrets. */
  config?: Record<string, unknown>;
  lastError: string | null;
  lastErrorAt: string | null;
  lastDeliveredAt: string | null;
  createdAt: string;
}

export interface Member {
  userId: string;
  email: string;
  role: Role;
  createdAt: string;
}

export interface Invitation {
  id: string;
  projectId: string;
  email: string;
  role: Role;
  createdAt: string;
  /** After this its link no longer works. */
  expiresAt: string;
}

/** A new invitation as its admin gets it, once: the link to pass on, and whether Cronbeat emailed it. */
export interface InvitationSent extends Invitation {
  acceptUrl: string;
  emailed: boolean;
}

/** What an invitation's link leads to, for its holder to decide. */
export interface InvitationPreview extends Invitation {
  projectName: string;
  /** The inviting admin's email; null when that account is gone. */
  invitedBy: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  access: 'read-write' | 'read-only';
  prefix: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
  /** Only in the answer that created it. */
  key?: string;
}

/** A status badge: of every check (`tag` null) or of one tag's checks. */
export interface Badge {
  tag: string | null;
  label: string;
  svg: string;
  json: string;
  shields: string;
}
