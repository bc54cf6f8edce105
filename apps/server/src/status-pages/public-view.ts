import type { PublicStatusPage } from '@cronbeat/contract';
import { type MaintenanceWindow, maintenanceAt, overallState, publicState, uptimeReport, uptimeWindowStart } from '@cronbeat/core';
import { type Db, type StatusPageCheck, type StatusPageRow, statusPageBySlug, statusPageChecks, windowsOfProjects } from '@cronbeat/db';

/**
 * A status page as anyone may see it. Only what is built here reaches the
 * page: names (the public one where set), states, uptime and incident
 * times. Never ids, ping codes, tags, bodies or the project's name.
 */
export function publicStatusPage(
  page: StatusPageRow,
  checks: readonly StatusPageCheck[],
  windows: readonly MaintenanceWindow[],
  now: Date,
): PublicStatusPage {
  // Sorted by the name shown, by code point (the same under any collation), so the order says nothing of internal names.
  const shown = checks.map((check) => {
    const report = uptimeReport({ createdAt: check.createdAt, statusAtStart: check.statusAtStart, changes: check.changes, now });
    return {
      name: page.publicNames[check.id] ?? check.name,
      state: publicState(check.status, maintenanceAt(windows, check, now) !== null),
      report,
    };
  });
  shown.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const incidents = shown
    .flatMap(({ name, report }) => report.incidents.map((incident) => ({ check: name, ...incident })))
    .sort((a, b) => b.start.getTime() - a.start.getTime())
    .slice(0, 20);
  return {
    title: page.title,
    description: page.description,
    state: overallState(shown.map((check) => check.state)),
    generatedAt: now.toISOString(),
    checks: shown.map(({ name, state, report }) => ({
      name,
      state,
      uptime: report.up,
      days: report.days.map((day) => ({ date: day.date, uptime: day.up, downSeconds: day.downSeconds })),
    })),
    incidents: incidents.map((incident) => ({
      check: incident.check,
      start: incident.start.toISOString(),
      end: incident.end?.toISOString() ?? null,
      durationSeconds: incident.durationSeconds,
    })),
  };
}

/** Reads everything one view of `/status/<slug>` needs; null for no such page. */
export async function loadPublicStatusPage(db: Db, slug: string, now: Date): Promise<PublicStatusPage | null> {
  const page = await statusPageBySlug(db, slug);
  if (!page) return null;
  const [checks, windows] = await Promise.all([
    statusPageChecks(db, page, uptimeWindowStart(now)),
    windowsOfProjects(db, [page.projectId]),
  ]);
  return publicStatusPage(page, checks, windows.get(page.projectId) ?? [], now);
}
