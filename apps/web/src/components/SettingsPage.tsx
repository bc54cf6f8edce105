import { useState } from 'react';
import { useSession } from '../session';
import { ApiKeys } from './ApiKeys';
import { Members } from './Members';
import { PingKey } from './PingKey';
import { ProjectInvitations } from './ProjectInvitations';

/** Project settings: members and roles, pending invitations, API keys, ping key. */
export function SettingsPage() {
  const { project, canAdmin } = useSession();
  const [invited, setInvited] = useState(0);
  return (
    <section>
      <h1>Settings of {project.name}</h1>
      <p className="muted">Your role: {project.role}</p>
      <Members onInvited={() => setInvited((count) => count + 1)} />
      {canAdmin ? (
        <>
          <ProjectInvitations version={invited} />
          <ApiKeys />
          <PingKey />
        </>
      ) : (
        <p className="muted">Invitations, API keys and the ping key are managed by the project's owners and admins.</p>
      )}
    </section>
  );
}
