import { useState } from 'react';
import { useSession } from '../session';
import { ApiKeys } from './ApiKeys';
import { AutoCreateSettings } from './AutoCreateSettings';
import { Badges } from './Badges';
import { GroupAlertsSettings } from './GroupAlertsSettings';
import { Members } from './Members';
import { PingKey } from './PingKey';
import { ProjectDetails } from './ProjectDetails';
import { ProjectInvitations } from './ProjectInvitations';
import { SentryDsn } from './SentryDsn';
import { StatusPages } from './StatusPages';

/** Project settings: members and roles, status badges; for admins also the project's name, invitations, API keys, ping key, what ?create=1 pings may do (and deletion, for owners). */
export function SettingsPage() {
  const { project, canAdmin } = useSession();
  const [invited, setInvited] = useState(0);
  return (
    <section>
      <h1>Settings of {project.name}</h1>
      <p className="muted">Your role: {project.role}</p>
      <Members onInvited={() => setInvited((count) => count + 1)} />
      <Badges />
      <StatusPages />
      {canAdmin ? (
        <>
          <ProjectDetails />
          <ProjectInvitations version={invited} />
          <ApiKeys />
          <PingKey />
          <SentryDsn />
          <AutoCreateSettings key={project.id} />
          <GroupAlertsSettings key={`group-${project.id}`} />
        </>
      ) : (
        <p className="muted">Invitations, API keys and the ping key are managed by the project's owners and admins.</p>
      )}
    </section>
  );
}
