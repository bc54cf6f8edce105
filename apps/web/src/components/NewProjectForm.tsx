import { type ReactNode, useState } from 'react';
import { api } from '../api';
import type { Project } from '../types';
import { useSubmit } from '../useSubmit';
import { Field } from './Field';

/**
 * Names and creates a project the signed-in person owns, then hands it to
 * `onCreated`. It needs no current project, so it also serves someone who
 * belongs to none.
 */
export function NewProjectForm({ onCreated, children }: { onCreated: (project: Project) => Promise<void>; children?: ReactNode }) {
  const [name, setName] = useState('');
  const { busy, error, submit } = useSubmit(async () => onCreated(await api.createProject(name.trim())));

  return (
    <form className="stack editor" onSubmit={submit}>
      <Field label="Project name" error={error ?? undefined}>
        <input required maxLength={100} value={name} onChange={(event) => setName(event.target.value)} />
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !name.trim()}>
          Create project
        </button>
        {children}
      </div>
    </form>
  );
}
