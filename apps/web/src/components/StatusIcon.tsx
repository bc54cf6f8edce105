import type { Status } from '../types';

/** A symbol per status, so the state reads without colour too. */
const SYMBOL: Record<Status | 'running', string> = {
  new: '○',
  up: '✓',
  late: '!',
  down: '✕',
  paused: '❚❚',
  running: '▶',
};

/** Status as symbol + word, coloured by CSS class. */
export function StatusIcon({ status, running = false }: { status: Status; running?: boolean }) {
  const shown = running && status !== 'paused' ? 'running' : status;
  return (
    <span className={`status status-${shown}`} title={running ? `${status}, running now` : status}>
      <span aria-hidden="true" className="status-symbol">
        {SYMBOL[shown]}
      </span>
      <span className="status-word">{shown}</span>
      {/* The title is not read by every screen reader: say the status under "running" in words too. */}
      {shown === 'running' && <span className="visually-hidden"> ({status})</span>}
    </span>
  );
}
