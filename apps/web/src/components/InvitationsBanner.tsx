import { useState } from 'react';
import { api } from '../api';
import { usePoll } from '../usePoll';

/** How often pending invitations are looked up again, in milliseconds. */
const REFRESH_MS = 30_000;

/**
 * Invitations addressed to the signed-in person, each with a button to join.
 * Renders nothing when there are none. `onAccepted` gets the joined project's id.
 */
export function InvitationsBanner({ userId, onAccepted }: { userId: string; onAccepted: (projectId: string) => Promise<void> }) {
  const invitations = usePoll(() => api.myInvitations(), REFRESH_MS, userId);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!invitations.data?.length && !error) return null;

  const accept = async (id: string) => {
    setBusy(id);
    setError(null);
    try {
      const accepted = await api.acceptInvitation(id);
      invitations.reload();
      await onAccepted(accepted.projectId);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="invitations" aria-labelledby="invitations-title">
      <h2 id="invitations-title">{invitations.data?.length === 1 ? 'You are invited' : 'Invitations'}</h2>
      <ul className="rows">
        {invitations.data?.map((invitation) => (
          <li key={invitation.id}>
            <span>
              Join <strong>{invitation.projectName}</strong> as {invitation.role}
            </span>
            <button type="button" className="primary" disabled={busy !== null} onClick={() => accept(invitation.id)}>
              {busy === invitation.id ? 'Joining…' : `Join ${invitation.projectName}`}
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          Could not join: {error}
        </p>
      )}
    </section>
  );
}
