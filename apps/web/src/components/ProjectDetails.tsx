import { useState } from 'react';
import { api } from '../api';
import { useSession } from '../session';
import { useSubmit } from '../useSubmit';
import { Field } from './Field';
import { ProjectNameForm } from './ProjectNameForm';

/** The project's name, for admins; deleting it, for its owners. */
export function ProjectDetails() {
  const { project } = useSession();
  return (
    <section aria-labelledby="project-title">
      <h2 id="project-title">Project</h2>
      {/* Keyed by project, so switching projects starts the form afresh. */}
      <RenameForm key={project.id} />
      {project.role === 'owner' && <DeleteProject key={`delete-${project.id}`} />}
    </section>
  );
}

function RenameForm() {
  const { project, refreshSession } = useSession();
  return (
    <ProjectNameForm
      initialName={project.name}
      submitLabel="Rename"
      onSave={async (name) => {
        await api.renameProject(name);
        await refreshSession();
      }}
    />
  );
}

/**
 * Deleting takes the project's name typed out, as it takes every check,
 * channel, key and ping with it. Offered only while the owner has another
 * project to go to, so that deleting never leaves them with none.
 */
function DeleteProject() {
  const { session, project, refreshSession, switchProject } = useSession();
  const [typed, setTyped] = useState('');
  const next = session.projects.find((candidate) => candidate.id !== project.id);
  const { busy, error, submit } = useSubmit(async () => {
    if (!next) return;
    await api.deleteProject();
    await refreshSession();
    switchProject(next.id);
  });
  if (!next) return <p className="muted">This is your only project; create another before you can delete it.</p>;
  return (
    <form className="stack editor" onSubmit={submit}>
      <Field label={`Type ${project.name} to delete the project`} error={error ?? undefined}>
        <input value={typed} onChange={(event) => setTyped(event.target.value)} />
      </Field>
      <p className="muted">
        Its checks stop being watched, and its channels, API keys, pings and history are deleted. This cannot be undone.
      </p>
      <div className="actions">
        <button type="submit" className="danger" disabled={busy || typed !== project.name}>
          Delete project
        </button>
      </div>
    </form>
  );
}
