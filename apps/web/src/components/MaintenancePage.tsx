import { useState } from 'react';
import { api } from '../api';
import { describeCoverage, describeWindow, spanText, windowTime, zoneOfWindow } from '../maintenance';
import { useSession } from '../session';
import type { MaintenanceWindow } from '../types';
import { usePoll } from '../usePoll';
import { MaintenanceForm } from './MaintenanceForm';

/**
 * The project's maintenance windows: planned downtime during which covered
 * checks alert nobody. Each with the occurrence in force now or the next,
 * in the browser's locale and the window's zone.
 */
export function MaintenancePage() {
  const { project, canWrite } = useSession();
  const windows = usePoll(() => api.maintenanceWindows(), 10_000, project.id);
  const checks = usePoll(() => api.checks(), 30_000, project.id);
  /** 'new', a window's id being edited, or null. */
  const [editing, setEditing] = useState<string | null>(null);
  const names = new Map((checks.data ?? []).map((check) => [check.id, check.name]));
  const done = () => {
    setEditing(null);
    windows.reload();
  };

  return (
    <section>
      <div className="page-head">
        <h1>Maintenance</h1>
        {canWrite && editing === null && (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            New window
          </button>
        )}
      </div>
      <p className="muted">
        While a check is inside a maintenance window its pings are recorded and its status changes, but nobody is alerted. A check still
        down when the window ends alerts once then.
      </p>
      {editing === 'new' && <MaintenanceForm checks={checks.data ?? []} onDone={done} />}
      {windows.error && <p className="error">Could not load the maintenance windows: {windows.error.message}</p>}
      {windows.data?.length === 0 && editing !== 'new' && <p className="muted">No maintenance windows yet.</p>}
      <ul className="cards">
        {windows.data?.map((window) =>
          editing === window.id ? (
            <li key={window.id}>
              <MaintenanceForm window={window} checks={checks.data ?? []} onDone={done} />
            </li>
          ) : (
            <WindowCard
              key={window.id}
              window={window}
              checkName={(id) => names.get(id) ?? 'a deleted check'}
              canWrite={canWrite && editing === null}
              onEdit={() => setEditing(window.id)}
              onChange={windows.reload}
            />
          ),
        )}
      </ul>
    </section>
  );
}

function WindowCard({
  window,
  checkName,
  canWrite,
  onEdit,
  onChange,
}: {
  window: MaintenanceWindow;
  checkName: (id: string) => string;
  canWrite: boolean;
  onEdit: () => void;
  onChange: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const zone = zoneOfWindow(window);
  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      onChange();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const remove = () => {
    if (globalThis.confirm(`Delete the maintenance window "${window.name}"?`)) void act(() => api.deleteMaintenanceWindow(window.id));
  };
  const titleId = `window-${window.id}`;
  return (
    <li className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{window.name}</h2>
      <p>{describeWindow(window)}</p>
      <dl className="facts">
        {window.current && (
          <>
            <dt>In force now</dt>
            <dd className="window-current">{spanText(window.current, zone)}</dd>
          </>
        )}
        {window.next && (
          <>
            <dt>Next</dt>
            <dd>{spanText(window.next, zone)}</dd>
          </>
        )}
        {!window.current && !window.next && (
          <>
            <dt>Status</dt>
            <dd>Over</dd>
          </>
        )}
        {window.endedAt && (
          <>
            <dt>Ended early</dt>
            <dd>{windowTime(window.endedAt, zone)}</dd>
          </>
        )}
        <dt>Covers</dt>
        <dd>{describeCoverage(window, checkName)}</dd>
      </dl>
      {canWrite && (
        <div className="actions">
          {window.current && (
            <button type="button" onClick={() => void act(() => api.endMaintenanceWindow(window.id))}>
              End now
            </button>
          )}
          <button type="button" onClick={onEdit}>
            Edit
          </button>
          <button type="button" className="danger" onClick={remove}>
            Delete
          </button>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
