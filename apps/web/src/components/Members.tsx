import { type FormEvent, useId, useState } from 'react';
import { api } from '../api';
import { useSession } from '../session';
import { type InvitationSent, ROLES, type Role } from '../types';
import { usePoll } from '../usePoll';
import { CopyButton } from './CopyButton';

/** Who is in the project and with what role; admins invite, change roles and remove. `onInvited` runs after an invitation is sent. */
export function Members({ onInvited }: { onInvited?: () => void }) {
  const { project, canAdmin, session } = useSession();
  const members = usePoll(() => api.members(), 30_000, project.id);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [message, setMessage] = useState<string | null>(null);
  const [sent, setSent] = useState<InvitationSent | null>(null);
  const formId = useId();

  /** Runs a change and says how it went; true when it worked. */
  const act = async (action: Promise<unknown>, done: string): Promise<boolean> => {
    setMessage(null);
    try {
      await action;
      setMessage(done);
      members.reload();
      return true;
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
      return false;
    }
  };
  const invite = (event: FormEvent) => {
    event.preventDefault();
    setSent(null);
    const sending = api.invite(email, role);
    void act(sending, `Invited ${email}.`).then(async (worked) => {
      if (!worked) return;
      setSent(await sending);
      setEmail('');
      onInvited?.();
    });
  };

  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      {members.error && <p className="error">Could not load members: {members.error.message}</p>}
      <ul className="rows">
        {members.data?.map((member) => (
          <li key={member.userId}>
            <span>{member.email}</span>
            {canAdmin && member.userId !== session.user.id ? (
              <>
                <label>
                  <span className="visually-hidden">Role of {member.email}</span>
                  <select
                    value={member.role}
                    onChange={(event) => act(api.setRole(member.userId, event.target.value as Role), 'Role changed.')}
                  >
                    {ROLES.map((candidate) => (
                      <option key={candidate}>{candidate}</option>
                    ))}
                  </select>
                </label>
                <button type="button" className="danger" onClick={() => act(api.removeMember(member.userId), `Removed ${member.email}.`)}>
                  Remove
                </button>
              </>
            ) : (
              <span className="muted">{member.role}</span>
            )}
          </li>
        ))}
      </ul>
      {canAdmin && (
        <form className="inline-form" onSubmit={invite}>
          <label>
            Invite by email
            <input type="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
          </label>
          <div className="field">
            {/* Labelled by id, not by nesting: a nested select would add its value to the label's name. */}
            <label htmlFor={`${formId}-role`}>Role</label>
            <select id={`${formId}-role`} value={role} onChange={(event) => setRole(event.target.value as Role)}>
              {ROLES.filter((candidate) => candidate !== 'owner').map((candidate) => (
                <option key={candidate}>{candidate}</option>
              ))}
            </select>
          </div>
          <button type="submit">Invite</button>
        </form>
      )}
      {message && <p aria-live="polite">{message}</p>}
      {sent && (
        <div className="invitation-link">
          <p>
            {sent.emailed
              ? `Cronbeat emailed ${sent.email} this link. It works once, for 7 days; you may also pass it on yourself:`
              : `This server sends no email: send ${sent.email} this link yourself. It works once, for 7 days:`}
          </p>
          <code data-testid="invitation-link">{sent.acceptUrl}</code> <CopyButton text={sent.acceptUrl} label="Copy link" />
        </div>
      )}
    </section>
  );
}
