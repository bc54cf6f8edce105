import { api } from '../api';
import { useSession } from '../session';
import { Link } from './Link';
import { ProjectNameForm } from './ProjectNameForm';

/** Create a project the signed-in person owns, then switch to it. */
export function NewProjectPage() {
  const { refreshSession, switchProject } = useSession();
  return (
    <section>
      <h1>New project</h1>
      <p className="muted">A project holds checks, channels and members of its own; you are its owner.</p>
      <ProjectNameForm
        submitLabel="Create project"
        primary
        onSave={async (name) => {
          const project = await api.createProject(name);
          await refreshSession();
          switchProject(project.id);
        }}
      >
        <Link to="/">Cancel</Link>
      </ProjectNameForm>
    </section>
  );
}
