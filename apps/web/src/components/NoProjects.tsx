import { api } from '../api';
import { ProjectNameForm } from './ProjectNameForm';

/**
 * What someone who belongs to no project sees (their last membership ended,
 * or they deleted their last project through the API): how to join one,
 * and a way to start a project of their own.
 */
export function NoProjects({ onEntered, onLogOut }: { onEntered: (projectId: string) => Promise<void>; onLogOut: () => void }) {
  return (
    <main className="auth">
      <p className="brand">Cronbeat</p>
      <h1>No projects</h1>
      <p>You are not a member of any project. To join one, open the invitation link its admin sent you; or create your own.</p>
      <ProjectNameForm submitLabel="Create project" primary onSave={async (name) => onEntered((await api.createProject(name)).id)} />
      <button type="button" onClick={onLogOut}>
        Log out
      </button>
    </main>
  );
}
