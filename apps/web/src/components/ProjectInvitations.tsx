import { useState } from 'react';
import { api } from '../api';
import { useSession } from '../session';
import { usePoll } from '../usePoll';
import { TimeAgo } from './TimeAgo';

/** Invitations of this project nobody has accepted yet; admins may withdraw them. `version` changes after each new invitation. */
export function ProjectInvitations({ version }: { version: number }) {
  const { project } = useSession();
  const invitations = usePoll(() => api.invitations(), 30_000, `${project.id}:${version}`);
  const [error, setError] = useState<string | null>(null);
  const now = Date.now();

  const withdraw = async (id: string) => {
    setError(null);
    await api.withdrawInvitation(id).catch((failure: Error) => setError(failure.message));
    invitations.reload();
  };

  return (
    <section aria-labelledby="pending-title">
      <h2 id="pending-title">Pending invitations</h2>
      {invitations.error && <p className="error">Could not load invitations: {invitations.error.message}</p>}
      {invitations.data?.length === 0 && <p className="muted">None. People you invite join through the link they get.</p>}
      <ul className="rows">
        {invitations.data?.map((invitation) => (
          <li key={invitation.id}>
            <span>{invitation.email}</span>
            <span className="muted">{invitation.role}</span>
            <span className="muted">
              invited <TimeAgo at={invitation.createdAt} />
              {Date.parse(invitation.expiresAt) < now && ', link expired'}
            </span>
            <button type="button" className="danger" onClick={() => withdraw(invitation.id)}>
              Withdraw<span className="visually-hidden"> the invitation of {invitation.email}</span>
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
