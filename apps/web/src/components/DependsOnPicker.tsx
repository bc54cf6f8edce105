import { useId } from 'react';
import type { Check } from '../types';

/**
 * The checks of the project a check depends on: while one of them is down,
 * this check going down alerts nobody on its own (the parent's alert lists
 * it). The API's refusal (a cycle, a check deleted meanwhile) is shown
 * beside the list and tied to it for screen readers.
 */
export function DependsOnPicker({
  candidates,
  selected,
  onChange,
  error,
}: {
  /** The project's checks, the edited one left out. */
  candidates: Check[];
  selected: string[];
  onChange: (ids: string[]) => void;
  error: string | undefined;
}) {
  const hint = useId();
  const errorId = useId();
  return (
    <fieldset className="stack" aria-describedby={[hint, error && errorId].filter(Boolean).join(' ')}>
      <legend>Depends on</legend>
      <p className="hint" id={hint}>
        While a check chosen here is down, this one going down alerts nobody on its own: the other check's alert lists it.
      </p>
      {candidates.length === 0 && <p className="hint">No other checks in this project yet.</p>}
      {candidates.map((check) => (
        <label key={check.id} className="inline">
          <input
            type="checkbox"
            name="dependsOn"
            value={check.id}
            checked={selected.includes(check.id)}
            onChange={(event) => onChange(event.target.checked ? [...selected, check.id] : selected.filter((id) => id !== check.id))}
          />
          {check.name || check.slug || 'unnamed'}
        </label>
      ))}
      {error && (
        <p className="error field-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
