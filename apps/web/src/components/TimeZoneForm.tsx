import { useId, useState } from 'react';
import { api } from '../api';
import { timeZones } from '../schedule';
import { useSession } from '../session';
import { browserZone } from '../time';
import { useSubmit } from '../useSubmit';
import { canonicalZone, zoneProblem } from '../zones';
import { Field } from './Field';

const ZONES = timeZones();

/**
 * The signed-in person's time zone: summary reports go out at 09:00 there.
 * Accounts start in UTC; the zone this browser is in is offered with one
 * click. A name that is no zone is caught as typed, with what it may mean;
 * the server checks it again.
 */
export function TimeZoneForm() {
  const { session, refreshSession } = useSession();
  const saved = session.user.timeZone;
  const browser = browserZone();
  const [zone, setZone] = useState(saved);
  const [saidSaved, setSaidSaved] = useState(false);
  const zonesList = useId();
  const problem = zone === saved ? undefined : zoneProblem(zone, ZONES);
  const { busy, error, submit } = useSubmit(async () => {
    const canonical = canonicalZone(zone);
    if (!canonical) return;
    await api.updateAccount({ timeZone: canonical });
    await refreshSession();
    setZone(canonical);
    setSaidSaved(true);
  });
  const choose = (next: string) => {
    setZone(next);
    setSaidSaved(false);
  };
  return (
    <section aria-labelledby="zone-title">
      <h2 id="zone-title">Time zone</h2>
      <form className="stack editor" onSubmit={submit}>
        <Field label="Your time zone" hint="Summary reports go out at 09:00 in this zone." error={problem?.error ?? error ?? undefined}>
          <input
            name="timeZone"
            list={zonesList}
            spellCheck={false}
            autoComplete="off"
            value={zone}
            onChange={(event) => choose(event.target.value)}
          />
        </Field>
        <datalist id={zonesList}>
          {ZONES.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        {problem && problem.suggestions.length > 0 && (
          <p className="suggestions">
            Did you mean{' '}
            {problem.suggestions.map((suggestion) => (
              <button type="button" className="link" key={suggestion} onClick={() => choose(suggestion)}>
                {suggestion}
              </button>
            ))}
          </p>
        )}
        <div className="actions">
          {browser !== saved && zone !== browser && (
            <button type="button" onClick={() => choose(browser)}>
              Use this browser’s zone, {browser}
            </button>
          )}
          <button type="submit" disabled={busy || !!problem || canonicalZone(zone) === saved}>
            Save time zone
          </button>
        </div>
        {saidSaved && zone === saved && <p role="status">Saved: your time zone is {saved}.</p>}
      </form>
    </section>
  );
}
