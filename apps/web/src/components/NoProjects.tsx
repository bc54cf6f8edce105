import { api } from '../api';
import { InvitationsBanner } from './InvitationsBanner';
import { ProjectNameForm } from './ProjectNameForm';

/**
 * What someone who belongs to no project sees (their last membership ended,
 * or they deleted their last project through the API): the invitations
 * waiting for them, and a way to start a project of their own.
 */
export function NoProjects({
  userId,
  onEntered,
  onLogOut,
}: {
  userId: string;
  onEntered: (projectId: string) => Promise<void>;
  onLogOut: () => void;
}) {
  return (
    <main className="auth">
      <p className="brand">Cronbeat</p>
      <h1>No projects</h1>
      <p>You are not a member of any project. Join one you are invited to, or create your own.</p>
      <InvitationsBanner userId={userId} onAccepted={onEntered} />
      <ProjectNameForm submitLabel="Create project" primary onSave={async (name) => onEntered((await api.createProject(name)).id)} />
      <button type="button" onClick={onLogOut}>
        Log out
      </button>
    </main>
  );
}
