import { type ReactNode, useState } from 'react';
import { useSubmit } from '../useSubmit';
import { Field } from './Field';

/**
 * A project's name and a button that saves it: creating a project (from the
 * New project page, or when someone belongs to none) and renaming one. The
 * button stays disabled until the name is new and not blank.
 */
export function ProjectNameForm({
  initialName = '',
  submitLabel,
  primary = false,
  onSave,
  children,
}: {
  initialName?: string;
  submitLabel: string;
  primary?: boolean;
  onSave: (name: string) => Promise<void>;
  children?: ReactNode;
}) {
  const [name, setName] = useState(initialName);
  const { busy, error, submit } = useSubmit(() => onSave(name.trim()));
  return (
    <form className="stack editor" onSubmit={submit}>
      <Field label="Project name" error={error ?? undefined}>
        <input required maxLength={100} value={name} onChange={(event) => setName(event.target.value)} />
      </Field>
      <div className="actions">
        <button type="submit" className={primary ? 'primary' : undefined} disabled={busy || !name.trim() || name.trim() === initialName}>
          {submitLabel}
        </button>
        {children}
      </div>
    </form>
  );
}
