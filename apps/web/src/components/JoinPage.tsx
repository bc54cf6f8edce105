import { useState } from 'react';
import { ApiError, api } from '../api';
import { navigate } from '../router';
import { usePoll } from '../usePoll';
import { Link } from './Link';

/**
 * Where an invitation link leads a signed-in person: which project, as what
 * and from whom, and a button to join. `onJoined` gets the project's id.
 */
export function JoinPage({ token, onJoined }: { token: string; onJoined: (projectId: string) => Promise<void> }) {
  const invitation = usePoll(() => api.invitation(token), 60_000, token);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const join = async () => {
    setBusy(true);
    setError(null);
    try {
      const accepted = await api.acceptInvitation(token);
      await onJoined(accepted.projectId);
      navigate('/', { replace: true });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };

  const gone = invitation.error instanceof ApiError && invitation.error.status === 404;
  return (
    <main className="auth">
      <p className="brand">Cronbeat</p>
      <h1>Invitation</h1>
      {!invitation.data && !invitation.error && <p>Loading…</p>}
      {gone && (
        <p className="error" role="alert">
          This invitation link was used already, has expired or was replaced by a newer one. Ask whoever invited you for a new one.
        </p>
      )}
      {invitation.error && !gone && (
        <p className="error" role="alert">
          Could not load the invitation: {invitation.error.message}
        </p>
      )}
      {invitation.data && (
        <>
          <p className="invitation">
            {invitation.data.invitedBy ?? 'Someone'} invited you to join <strong>{invitation.data.projectName}</strong> as{' '}
            {invitation.data.role}.
          </p>
          <button type="button" className="primary" disabled={busy} onClick={join}>
            {busy ? 'Joining…' : `Join ${invitation.data.projectName}`}
          </button>
        </>
      )}
      {error && (
        <p className="error" role="alert">
          Could not join: {error}
        </p>
      )}
      <p>
        <Link to="/">Go to the dashboard</Link>
      </p>
    </main>
  );
}
