import { useSession } from '../session';
import { Link } from './Link';
import { NewProjectForm } from './NewProjectForm';

/** Create a project the signed-in person owns, then switch to it. */
export function NewProjectPage() {
  const { refreshSession, switchProject } = useSession();
  return (
    <section>
      <h1>New project</h1>
      <p className="muted">A project holds checks, channels and members of its own; you are its owner.</p>
      <NewProjectForm
        onCreated={async (project) => {
          await refreshSession();
          switchProject(project.id);
        }}
      >
        <Link to="/">Cancel</Link>
      </NewProjectForm>
    </section>
  );
}
