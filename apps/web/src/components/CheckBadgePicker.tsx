import type { CheckOverview } from '@cronbeat/contract';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { FIRST_QUERY, overviewSearch } from '../checks-list';
import { CheckBadge } from './CheckBadge';
import { Field } from './Field';

/** Matches asked for and shown; more means the search should say more. */
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
  const [matches, setMatches] = useState<{ checks: CheckOverview[]; total: number } | null>(null);
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
      // The overview answers a page of the size asked for (the checks list reads everything that matches).
      const search = overviewSearch({ ...FIRST_QUERY, q: wanted, sort: 'name' }, [['limit', String(SHOWN)]]);
      api.checkOverview(search).then(
        ({ checks, total }) => {
          if (!current) return;
          setMatches({ checks, total });
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
      {matches && matches.checks.length === 0 && <p className="muted">No check matches “{query.trim()}”.</p>}
      {matches && matches.checks.length > 0 && (
        <ul className="plain" aria-label="Matching checks">
          {matches.checks.map((check) => (
            <li key={check.id}>
              <button type="button" className="link" aria-pressed={picked === check.id} onClick={() => setPicked(check.id)}>
                {check.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {matches && matches.total > matches.checks.length && (
        <p className="muted">
          The first {matches.checks.length} of {matches.total} matches by name: type more of the name to narrow them.
        </p>
      )}
      {picked && <CheckBadge checkId={picked} />}
    </div>
  );
}
