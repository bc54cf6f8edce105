import type { StatusSummary as Counts } from '@cronbeat/contract';

/** The statuses the bar counts, in the order it lists them. */
const SUMMARISED = ['up', 'late', 'down', 'paused'] as const satisfies readonly (keyof Counts['byStatus'])[];
const SYMBOL: Record<(typeof SUMMARISED)[number], string> = { up: '✓', late: '!', down: '✕', paused: '❚❚' };

/**
 * "n up · n late · n down · n paused" over every check of the project (the
 * server counts them, so the bar is right however few rows are loaded).
 * Each count is a toggle button: pressing it shows only checks in that
 * status, pressing it again shows all (the status filter below follows it).
 */
export function StatusSummary({ counts, status, onChange }: { counts: Counts; status: string; onChange: (status: string) => void }) {
  return (
    <ul className="status-summary" aria-label="Checks by status">
      {SUMMARISED.map((shown) => {
        const pressed = status === shown;
        return (
          <li key={shown}>
            <button
              type="button"
              className={`status status-${shown}`}
              aria-pressed={pressed}
              title={pressed ? 'Show every check' : `Show only ${shown} checks`}
              onClick={() => onChange(pressed ? '' : shown)}
            >
              <span aria-hidden="true" className="status-symbol">
                {SYMBOL[shown]}
              </span>
              <span className="summary-count">{counts.byStatus[shown]}</span> {shown}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
