import { useState } from 'react';
import { policyLines, thresholdProgress } from '../alert-policy';
import { api } from '../api';
import { scheduleZone } from '../down-reason';
import { navigate } from '../router';
import { describeSchedule } from '../schedule';
import { useSession } from '../session';
import { duration } from '../time';
import { usePoll } from '../usePoll';
import { CheckBadge } from './CheckBadge';
import { CheckChannels } from './CheckChannels';
import { CheckDependencies } from './CheckDependencies';
import { DownBanner } from './DownBanner';
import { DurationChart } from './DurationChart';
import { IncidentTimeline } from './IncidentTimeline';
import { Link } from './Link';
import { MaintenanceBanner } from './MaintenanceBanner';
import { PingLog } from './PingLog';
import { PingUrl } from './PingUrl';
import { Snippets } from './Snippets';
import { StatusIcon } from './StatusIcon';
import { TimeAgo } from './TimeAgo';

const REFRESH_MS = 5_000;

/** One check: whether it is down and why, where it alerts, how to ping it, its state, its pings, durations and incidents. */
export function CheckPage({ id }: { id: string }) {
  const { canWrite } = useSession();
  const check = usePoll(() => api.check(id), REFRESH_MS, id);
  const pings = usePoll(() => api.pings(id), REFRESH_MS, id);
  const flips = usePoll(() => api.flips(id), REFRESH_MS, id);
  const channels = usePoll(() => api.channels(), 30_000, id);
  // For the statuses of the checks it depends on and of those that depend on it.
  const related = usePoll(() => api.checks(), 15_000, id);
  const [actionError, setActionError] = useState<string | null>(null);

  if (check.error && !check.data) return <p className="error">Could not load this check: {check.error.message}</p>;
  if (!check.data) return <p className="muted">Loading…</p>;
  const current = check.data;
  const now = Date.now();
  const progress = thresholdProgress(current);
  const policies = policyLines(current);

  const toggle = async () => {
    setActionError(null);
    try {
      await (current.status === 'paused' ? api.resume(current.id) : api.pause(current.id));
      check.reload();
      flips.reload();
    } catch (error) {
      setActionError(error instanceof Error ? error.message : String(error));
    }
  };

  const rotatePingUrl = async () => {
    const question = `Rotate the ping URL of "${current.name}"? Jobs still using the current URL get 404s until they use the new one.`;
    if (!window.confirm(question)) return;
    setActionError(null);
    try {
      await api.rotatePingCode(current.id);
      check.reload();
    } catch (error) {
      setActionError(error instanceof Error ? error.message : String(error));
    }
  };

  const remove = async () => {
    if (!window.confirm(`Delete the check "${current.name}" and all its pings? Jobs pinging it will get 404s.`)) return;
    setActionError(null);
    try {
      await api.deleteCheck(current.id);
      navigate('/');
    } catch (error) {
      setActionError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <article className="check-page">
      <p>
        <Link to="/">← Checks</Link>
      </p>
      <div className="page-head">
        <h1>{current.name || current.slug || 'unnamed'}</h1>
        <StatusIcon status={current.status} running={current.running} />
        {/* Always there, so screen readers announce the count as it changes. */}
        <span className="threshold-progress" role="status">
          {progress}
        </span>
      </div>
      {current.maintenance && <MaintenanceBanner maintenance={current.maintenance} now={now} />}
      {current.status === 'down' && (
        <DownBanner
          check={current}
          flips={flips.data}
          pings={pings.data}
          now={now}
          canWrite={canWrite}
          onChanged={() => {
            check.reload();
            flips.reload();
          }}
        />
      )}
      <CheckChannels check={current} channels={channels.data} canWrite={canWrite} />
      {current.description && <p>{current.description}</p>}
      <dl className="facts">
        <dt>Schedule</dt>
        <dd>{describeSchedule(current)}</dd>
        <dt>Grace</dt>
        <dd>{duration(current.grace)}</dd>
        {current.remindEvery !== null && (
          <>
            <dt>Reminders</dt>
            <dd>every {duration(current.remindEvery)} while down</dd>
          </>
        )}
        {current.maxRuntime !== null && (
          <>
            <dt>Max runtime</dt>
            <dd>{duration(current.maxRuntime)}</dd>
          </>
        )}
        <dt>Last ping</dt>
        <dd>
          <TimeAgo at={current.lastPing} />
        </dd>
        <dt>Next expected</dt>
        <dd>
          <TimeAgo at={current.status === 'paused' ? null : current.nextPing} zone={scheduleZone(current)} empty="—" />
        </dd>
        <dt>Pings</dt>
        <dd>{current.nPings}</dd>
      </dl>
      <CheckDependencies check={current} checks={related.data} />
      {policies.length > 0 && (
        <section aria-labelledby="policy-title">
          <h2 id="policy-title">Alert policy</h2>
          <ul className="policies">
            {policies.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
      )}
      {!canWrite && <p className="muted">Your role can look at this check but not change it.</p>}
      {canWrite && (
        <div className="actions">
          {/* A down check's banner holds its Pause, beside Acknowledge. */}
          {current.status !== 'down' && (
            <button type="button" onClick={toggle}>
              {current.status === 'paused' ? 'Resume' : 'Pause'}
            </button>
          )}
          <Link to={`/checks/${current.id}/edit`} className="button">
            Edit
          </Link>
          <button type="button" className="danger" onClick={remove}>
            Delete
          </button>
          {actionError && (
            <p className="error" role="alert">
              {actionError}
            </p>
          )}
        </div>
      )}
      {current.pingUrl && (
        <section aria-labelledby="how-title">
          <h2 id="how-title">Ping it</h2>
          <PingUrl url={current.pingUrl} email={current.pingEmail} />
          <p className="muted">
            The URL is the check's secret: whoever has it can report the job. Rotate it if it leaked; the check's history stays.
          </p>
          {canWrite && (
            <div className="actions">
              <button type="button" className="danger" onClick={rotatePingUrl}>
                Rotate ping URL
              </button>
            </div>
          )}
          <Snippets url={current.pingUrl} check={current} />
        </section>
      )}
      <section aria-labelledby="badge-title">
        <h2 id="badge-title">Badge</h2>
        <p className="muted">
          Whether this check is up, late or down, for a README or a wiki: anyone with the badge's address sees that and nothing else.
        </p>
        <CheckBadge checkId={current.id} showMarkdown />
      </section>
      <section aria-labelledby="durations-title">
        <h2 id="durations-title">Run durations</h2>
        <DurationChart pings={pings.data ?? []} />
      </section>
      <section aria-labelledby="incidents-title">
        <h2 id="incidents-title">Incidents</h2>
        <IncidentTimeline check={current} flips={flips.data ?? []} now={now} />
      </section>
      <section aria-labelledby="pings-title">
        <h2 id="pings-title">Ping log</h2>
        <PingLog checkId={current.id} pings={pings.data} urlShown={Boolean(current.pingUrl)} />
      </section>
    </article>
  );
}
