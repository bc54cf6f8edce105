import { useEffect, useState } from 'react';
import { api } from '../api';
import { CopyButton } from './CopyButton';

/**
 * The project's Sentry DSN, for admins: a Sentry SDK given it sends its
 * cron check-ins here; and rotating its key, apart from the ping key.
 */
export function SentryDsn() {
  const [dsn, setDsn] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.project().then(
      (project) => setDsn(project.sentryDsn ?? null),
      (failure: Error) => setError(failure.message),
    );
  }, []);
  const rotate = async () => {
    if (!window.confirm('Rotate the Sentry DSN? Apps and jobs with the old DSN are refused until they use the new one.')) return;
    setError(null);
    try {
      setDsn((await api.rotateSentryKey()).sentryDsn ?? null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <section aria-labelledby="sentry-dsn-title">
      <h2 id="sentry-dsn-title">Sentry DSN</h2>
      <p>
        Jobs that report to Sentry Crons keep their code: give their Sentry SDK this DSN and their check-ins (<code>captureCheckIn</code>,{' '}
        <code>withMonitor</code>, instrumented cron libraries) arrive here. A check-in with a <code>monitor_config</code> creates its check;
        each environment other than <code>production</code> is a check of its own (<code>&lt;monitor&gt;--&lt;environment&gt;</code>).
        Errors and other events sent to it are accepted and dropped.
      </p>
      {dsn && (
        <p>
          <code className="secret-value" data-testid="sentry-dsn">
            {dsn}
          </code>{' '}
          <CopyButton text={dsn} label="Copy Sentry DSN" />
        </p>
      )}
      <p>Rotating it changes its key only; the ping key and every ping URL keep working.</p>
      <button type="button" className="danger" onClick={rotate}>
        Rotate Sentry DSN
      </button>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
