import type { Check } from '@cronbeat/contract';
import { isRunning, type MaintenanceWindow, maintenanceAt } from '@cronbeat/core';
import { type CheckRow, runPolicyOf, runRecordFromJson } from '@cronbeat/db';
import type { ProjectAccess } from '../../../auth/access';
import { iso, isoOrNull } from '../../../schemas/common';

/**
 * What `checkView` shows beside the row: its channels (for callers who may
 * see them) and its parents, by check id; the project's maintenance windows
 * and the instant the answer is about.
 */
export interface CheckViewContext {
  /** PING_BASE_URL: ping URLs are `<pingBaseUrl>/<ping-code>`. */
  pingBaseUrl: string;
  /** EMAIL_PINGS_DOMAIN: mail to `<ping-code>@<domain>` pings the check; null when the server takes no email pings. */
  emailPingDomain: string | null;
  access: ProjectAccess;
  channels: Map<string, string[]>;
  dependsOn: Map<string, string[]>;
  windows: readonly MaintenanceWindow[];
  now: Date;
}

/** A stored check as the API shows it; ping code, ping URL and channels only to callers who may write (and so ping). */
export function checkView(row: CheckRow, context: CheckViewContext): Check {
  const policy = runPolicyOf(row);
  const record = runRecordFromJson(row.runRecord);
  const inMaintenance = maintenanceAt(context.windows, row, context.now);
  const view: Check = {
    id: row.id,
    name: row.name,
    slug: row.slug,
    tags: row.tags,
    description: row.description,
    period: row.period,
    cron: row.cron,
    onCalendar: row.onCalendar,
    tz: row.tz,
    grace: row.grace,
    maxRuntime: row.maxRuntime,
    manualResume: row.manualResume,
    methods: row.methods,
    alertOnLate: row.alertOnLate,
    remindEvery: row.remindEvery,
    dependsOn: context.dependsOn.get(row.id) ?? [],
    ...policy,
    successKeywords: [...policy.successKeywords],
    failureKeywords: [...policy.failureKeywords],
    startKeywords: [...policy.startKeywords],
    failures: record.failures.length,
    successes: record.successes,
    status: row.status,
    running: isRunning(row),
    lastPing: isoOrNull(row.lastPing),
    nextPing: isoOrNull(row.nextDue),
    alertAfter: isoOrNull(row.alertAfter),
    lastDuration: row.lastDuration,
    nPings: row.nPings,
    maintenance: inMaintenance && { windowId: inMaintenance.windowId, name: inMaintenance.name, until: iso(inMaintenance.end) },
    createdAt: iso(row.createdAt),
  };
  if (context.access.seesSecrets) {
    view.channels = context.channels.get(row.id) ?? [];
    view.pingCode = row.pingCode;
    view.pingUrl = `${context.pingBaseUrl}/${row.pingCode}`;
    if (context.emailPingDomain !== null) view.pingEmail = `${row.pingCode}@${context.emailPingDomain}`;
  }
  return view;
}
