import { useState } from 'react';
import { api } from '../api';
import { useSession } from '../session';
import type { ReportEvery } from '../types';
import { useSubmit } from '../useSubmit';
import { Field } from './Field';

const CHOICES: Array<[ReportEvery, string]> = [
  ['off', 'Never'],
  ['weekly', 'Weekly, on Mondays'],
  ['monthly', 'Monthly, on the 1st'],
];

/** `Monday 14 December 2026 at 09:00 (Europe/Berlin)`: when the report goes, on the clocks of the zone it goes by. */
function onTheirClock(iso: string, zone: string): string {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short', timeZone: zone });
  return `${format.format(new Date(iso))} (${zone})`;
}

/** How often the signed-in person gets an emailed summary of all their projects. */
export function ReportForm() {
  const { session, refreshSession } = useSession();
  const [choice, setChoice] = useState<ReportEvery>(session.user.reportEvery);
  const { busy, error, submit } = useSubmit(async () => {
    await api.setReportEvery(choice);
    await refreshSession();
  });
  const next = session.user.nextReportAt;
  const zone = session.user.timeZone;
  return (
    <section aria-labelledby="reports-title">
      <h2 id="reports-title">Summary reports</h2>
      <p className="muted">
        An email of the checks in your projects, worst first: each one's uptime in the week or month, how often it went down, its runs and
        failed runs, its median, 95th percentile and slowest run. Sent at 09:00 in your time zone ({zone}).
      </p>
      {session.emailEnabled ? (
        <form className="stack editor" onSubmit={submit}>
          <Field label="Email me a report" error={error ?? undefined}>
            <select value={choice} onChange={(event) => setChoice(event.target.value as ReportEvery)}>
              {CHOICES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
          <div className="actions">
            <button type="submit" disabled={busy || choice === session.user.reportEvery}>
              Save
            </button>
          </div>
          {next && (
            <p role="status">
              Next report: <time dateTime={next}>{onTheirClock(next, zone)}</time>
            </p>
          )}
        </form>
      ) : (
        <p>This Cronbeat server sends no email (its SMTP_URL is not set), so it cannot send reports.</p>
      )}
    </section>
  );
}
