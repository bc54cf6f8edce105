import { type ChannelOutcome, channelOutcomes } from '../incident';
import type { DeliveryAttempt } from '../types';
import { receiverAnswer } from './FlipDeliveries';

const SHOWN: Record<DeliveryAttempt['outcome'], { symbol: string; words: string }> = {
  sent: { symbol: '✓', words: 'sent' },
  retrying: { symbol: '↻', words: 'failed, retrying' },
  failed: { symbol: '✕', words: 'failed' },
};

function OutcomeRow({ outcome }: { outcome: ChannelOutcome }) {
  const { attempt } = outcome;
  const shown = SHOWN[attempt.outcome];
  const answer = receiverAnswer(attempt);
  return (
    <li className="alert-outcome" data-outcome={attempt.outcome}>
      <span aria-hidden="true" className="alert-outcome-symbol">
        {shown.symbol}
      </span>{' '}
      {outcome.channel.name || outcome.channel.kind} <span className="muted">({outcome.channel.kind})</span>: <strong>{shown.words}</strong>
      {answer && <span> · {answer}</span>}
      {attempt.error && <span className="delivery-error"> · {attempt.error}</span>}
      {outcome.attempts > 1 && <span className="muted"> · after {outcome.attempts} attempts</span>}
    </li>
  );
}

/** Who was told the check went down, and whether each channel's alert arrived: its newest attempt per channel. */
export function AlertOutcomes({ attempts }: { attempts: readonly DeliveryAttempt[] | undefined }) {
  if (!attempts) return null;
  const outcomes = channelOutcomes(attempts);
  return (
    <div className="alert-outcomes">
      <p>
        <strong>Notified</strong>
      </p>
      {outcomes.length === 0 ? (
        <p className="muted">No alert has been delivered yet.</p>
      ) : (
        <ul aria-label="Who was notified">
          {outcomes.map((outcome) => (
            <OutcomeRow key={outcome.channel.id} outcome={outcome} />
          ))}
        </ul>
      )}
    </div>
  );
}
