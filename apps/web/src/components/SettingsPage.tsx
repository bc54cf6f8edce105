import { useSession } from '../session';
import { ApiKeys } from './ApiKeys';
import { Members } from './Members';
import { PingKey } from './PingKey';

/** Project settings: members and roles, API keys, ping key. */
export function SettingsPage() {
  const { project, canAdmin } = useSession();
  return (
    <section>
      <h1>Settings of {project.name}</h1>
      <p className="muted">Your role: {project.role}</p>
      <Members />
      {canAdmin ? (
        <>
          <ApiKeys />
          <PingKey />
        </>
      ) : (
        <p className="muted">API keys and the ping key are managed by the project's owners and admins.</p>
      )}
    </section>
  );
}
