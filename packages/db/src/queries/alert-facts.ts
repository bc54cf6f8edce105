/**
 * What deciding whether an alert goes out needs beyond the flip: the
 * check's project, tags and parents (with their statuses), whether its
 * incident was told, and its project's maintenance windows. Read only for
 * flips that would alert, in two statements per batch.
 */
import type { MaintenanceWindow, Status } from '@cronbeat/core';
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { jsonColumn, queryRows } from '../rows';
import { windowsOfProjects } from './maintenance';

export interface CheckAlertFacts {
  projectId: string;
  tags: string[];
  /** Checks it depends on, with their statuses as of now (read only for a check going down). */
  parents: Array<{ id: string; status: Status }>;
  /** Whether its latest flip to down had its alert (reminder 0) made (read only for a recovery). */
  incidentAlerted: boolean;
  /** More checks of its project going down in one sweep batch than this are told in one message per channel; null: never. */
  groupAlertsAbove: number | null;
}

export interface AlertFacts {
  checks: Map<string, CheckAlertFacts>;
  /** Maintenance windows by project, for the projects of those checks. */
  windows: Map<string, MaintenanceWindow[]>;
}

type FactsRow = {
  id: string;
  project_id: string;
  tags: string[] | string;
  parents: Array<{ id: string; status: Status }> | string;
  incident_alerted: boolean;
  group_alerts_above: number | null;
};

/** Which facts each check needs: parents only for a flip to down, whether its incident was told only for a recovery. */
export interface FactsWanted {
  checkIds: readonly string[];
  /** Checks going down: their parents are read. */
  goingDown: readonly string[];
  /** Checks coming back up: whether their incident was told is read. */
  recovering: readonly string[];
}

const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

/** The facts of the checks wanted and their projects' windows. */
export async function alertFactsOf(db: Db, wanted: FactsWanted): Promise<AlertFacts> {
  const { checkIds } = wanted;
  if (checkIds.length === 0) return { checks: new Map(), windows: new Map() };
  const rows = await queryRows<FactsRow>(
    db,
    sql`select c.id, c.project_id, to_json(c.tags) as tags, p.group_alerts_above,
               case when c.id = any(${uuidArray(wanted.goingDown)}::uuid[]) then
                 coalesce((select json_agg(json_build_object('id', parent.id, 'status', parent.status))
                             from check_dependencies d join checks parent on parent.id = d.depends_on_id
                            where d.check_id = c.id), '[]'::json)
               else '[]'::json end as parents,
               c.id = any(${uuidArray(wanted.recovering)}::uuid[]) and exists (
                 select 1 from notifications n
                  where n.reminder = 0 and n.flip_id = (
                        select f.id from flips f where f.check_id = c.id and f.to_status = 'down'
                         order by f.id desc limit 1)) as incident_alerted
          from checks c join projects p on p.id = c.project_id
         where c.id = any(${uuidArray(checkIds)}::uuid[])`,
  );
  const checks = new Map<string, CheckAlertFacts>();
  for (const row of rows) {
    checks.set(row.id, {
      projectId: row.project_id,
      tags: jsonColumn(row.tags),
      parents: jsonColumn(row.parents),
      incidentAlerted: row.incident_alerted,
      groupAlertsAbove: row.group_alerts_above,
    });
  }
  const projectIds = [...new Set([...checks.values()].map((facts) => facts.projectId))];
  return { checks, windows: await windowsOfProjects(db, projectIds) };
}
