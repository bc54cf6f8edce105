import { useState } from 'react';
import { api } from '../api';
import { useSession } from '../session';
import { useSubmit } from '../useSubmit';
import { Field } from './Field';
import { Link } from './Link';

/** Create a project the signed-in person owns, then switch to it. */
export function NewProjectPage() {
  const { refreshSession, switchProject } = useSession();
  const [name, setName] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    const project = await api.createProject(name.trim());
    await refreshSession();
    switchProject(project.id);
  });

  return (
    <section>
      <h1>New project</h1>
      <p className="muted">A project holds checks, channels and members of its own; you are its owner.</p>
      <form className="stack editor" onSubmit={submit}>
        <Field label="Project name" error={error ?? undefined}>
          <input required maxLength={100} value={name} onChange={(event) => setName(event.target.value)} />
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !name.trim()}>
            Create project
          </button>
          <Link to="/">Cancel</Link>
        </div>
      </form>
    </section>
  );
}
