import { useState } from 'react';
import { api } from '../api';
import { formatInstant } from '../time';
import type { DeliveryAttempt } from '../types';

const OUTCOME_WORDS: Record<DeliveryAttempt['outcome'], string> = {
  sent: 'sent',
  retrying: 'failed, will retry',
  failed: 'failed for good',
};

/** What the receiver said: its HTTP status, or the SMTP server's reply line. */
export function receiverAnswer(attempt: DeliveryAttempt): string | null {
  if (attempt.statusCode !== null) return `HTTP ${attempt.statusCode}`;
  return attempt.reply;
}

function AttemptRow({ attempt }: { attempt: DeliveryAttempt }) {
  const answer = receiverAnswer(attempt);
  return (
    <li className="delivery" data-outcome={attempt.outcome}>
      <time dateTime={attempt.at}>{formatInstant(attempt.at, { seconds: true })}</time>{' '}
      <span>{attempt.channel.name || attempt.channel.kind}</span>
      {attempt.reminder > 0 && <span className="muted"> (reminder {attempt.reminder})</span>}:{' '}
      <strong>{OUTCOME_WORDS[attempt.outcome]}</strong>
      {answer && <span className="delivery-answer"> · {answer}</span>}
      {attempt.error && <span className="delivery-error"> · {attempt.error}</span>}
      {attempt.outcome === 'retrying' && attempt.nextAttemptAt && (
        <span className="muted">
          {' '}
          · next try at <time dateTime={attempt.nextAttemptAt}>{formatInstant(attempt.nextAttemptAt, { seconds: true })}</time>
        </span>
      )}
    </li>
  );
}

/** A flip's delivery attempts, newest first, or that there is none yet. */
export function DeliveryList({ attempts }: { attempts: readonly DeliveryAttempt[] }) {
  if (attempts.length === 0) return <p className="muted">No delivery yet</p>;
  return (
    <ol className="deliveries" aria-label="Delivery attempts">
      {attempts.map((attempt) => (
        <AttemptRow key={attempt.id} attempt={attempt} />
      ))}
    </ol>
  );
}

type Loaded = { state: 'loading' } | { state: 'loaded'; attempts: DeliveryAttempt[] } | { state: 'failed'; message: string };

/**
 * The delivery attempts of one status change's notifications, fetched each
 * time the disclosure opens so a retry that happened meanwhile shows up.
 */
export function FlipDeliveries({ checkId, flipId }: { checkId: string; flipId: number }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  const load = () => {
    setLoaded({ state: 'loading' });
    api.flipDeliveries(checkId, flipId).then(
      (attempts) => setLoaded({ state: 'loaded', attempts }),
      (error: unknown) => setLoaded({ state: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
  };

  return (
    <details className="flip-deliveries" onToggle={(event) => event.currentTarget.open && load()}>
      <summary>Deliveries</summary>
      {loaded?.state === 'loading' && <p className="muted">Loading…</p>}
      {loaded?.state === 'failed' && (
        <p className="error" role="alert">
          Could not load the deliveries: {loaded.message}
        </p>
      )}
      {loaded?.state === 'loaded' && <DeliveryList attempts={loaded.attempts} />}
    </details>
  );
}
