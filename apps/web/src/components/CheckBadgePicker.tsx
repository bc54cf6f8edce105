import { useEffect, useState } from 'react';
import { api } from '../api';
import type { Check } from '../types';
import { CheckBadge } from './CheckBadge';
import { Field } from './Field';

/** Matches shown for a search; the API's first page is plenty to pick one from. */
const SHOWN = 10;
/** Typing pauses this long before the search goes out. */
const DEBOUNCE_MS = 250;

/**
 * Finds a check by part of its name or slug and shows its own badge
 * (`/badge/<badge-key>/check/<slug-or-id>.svg`). A search rather than a
 * list, so a project of thousands of checks loads nothing it does not show.
 */
export function CheckBadgePicker() {
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<Check[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);

  useEffect(() => {
    const wanted = query.trim();
    if (wanted === '') {
      setMatches(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      api.checks({ q: wanted }).then(
        (found) => {
          if (!current) return;
          setMatches(found.slice(0, SHOWN));
          setFailure(null);
        },
        (error: unknown) => current && setFailure(error instanceof Error ? error.message : String(error)),
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);

  return (
    <div className="stack">
      <h3>One check’s badge</h3>
      <Field label="Find a check" hint="Part of its name or slug." error={failure ?? undefined}>
        <input type="search" autoComplete="off" value={query} onChange={(event) => setQuery(event.target.value)} />
      </Field>
      {matches && matches.length === 0 && <p className="muted">No check matches “{query.trim()}”.</p>}
      {matches && matches.length > 0 && (
        <ul className="plain" aria-label="Matching checks">
          {matches.map((check) => (
            <li key={check.id}>
              <button type="button" className="link" aria-pressed={picked === check.id} onClick={() => setPicked(check.id)}>
                {check.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {picked && <CheckBadge checkId={picked} />}
    </div>
  );
}
