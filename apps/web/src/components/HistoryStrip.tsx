import type { HistoryCell, RunOutcome } from '@cronbeat/contract';
import { exactTime } from '../time';

/** Words for each outcome: every cell says what it was in text (its label and title), never by colour alone. */
const OUTCOME_WORDS: Record<RunOutcome, string> = {
  success: 'success',
  failed: 'failed',
  missed: 'missed',
  late: 'late',
  running: 'running',
  paused: 'paused',
  maintenance: 'missed in maintenance',
};

/**
 * A check's last outcomes as a strip of cells, oldest on the left, so the
 * newest sits beside the status. Colour and shape both tell outcomes apart
 * (styles.css: failed and missed cells are drawn differently, not only in
 * another colour); each cell's label gives the outcome and its time.
 */
export function HistoryStrip({ cells, name }: { cells: HistoryCell[]; name: string }) {
  if (cells.length === 0) return <span className="muted">no runs yet</span>;
  const oldestFirst = [...cells].reverse();
  const failures = cells.filter((cell) => cell.outcome === 'failed' || cell.outcome === 'missed').length;
  return (
    <ol className="history-strip" aria-label={`Last ${cells.length} outcomes of ${name}, oldest first: ${failures} failed or missed`}>
      {oldestFirst.map((cell, i) => {
        const label = `${OUTCOME_WORDS[cell.outcome]}, ${exactTime(cell.at)}`;
        // biome-ignore lint/suspicious/noArrayIndexKey: two outcomes may share an instant; a cell's place in its strip is what it is.
        return <li key={i} className={`history-cell outcome-${cell.outcome}`} title={label} aria-label={label} />;
      })}
    </ol>
  );
}
