import type { StatusPage } from '@cronbeat/contract';
import { useState } from 'react';
import { api } from '../api';
import { useSession } from '../session';
import { usePoll } from '../usePoll';
import { useSubmit } from '../useSubmit';

/** Pages change when someone edits them here; look again now and then. */
const REFRESH_MS = 60_000;

/** Words from a comma- or space-separated field, each once. */
const wordsOf = (text: string) => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

/**
 * Public status pages of the project: anyone with a page's address sees
 * the listed checks under their public names, their uptime and incidents.
 * Everyone in the project sees the list; owners and admins create, edit and delete.
 */
export function StatusPages() {
  const { project, canAdmin } = useSession();
  const pages = usePoll(() => api.statusPages(), REFRESH_MS, project.id);
  const checks = usePoll(() => (canAdmin ? api.checks() : Promise.resolve([])), REFRESH_MS, project.id);
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');
  const [chosen, setChosen] = useState<Record<string, string | undefined>>({});
  const [deleteError, setDeleteError] = useState<string | null>(null);
  /** The page the form edits; null: the form makes a new one. */
  const [editing, setEditing] = useState<StatusPage | null>(null);

  const fill = (page: StatusPage | null) => {
    setEditing(page);
    setTitle(page?.title ?? '');
    setSlug(page?.slug ?? '');
    setDescription(page?.description ?? '');
    setTags(page?.tags.join(', ') ?? '');
    const names = new Map(page?.publicNames.map((entry) => [entry.check, entry.name]));
    setChosen(Object.fromEntries((page?.checks ?? []).map((id) => [id, names.get(id) ?? ''])));
  };

  const save = useSubmit(async () => {
    const listed = Object.keys(chosen).filter((id) => chosen[id] !== undefined);
    const fields = {
      title,
      description,
      ...(slug.trim() !== '' && { slug: slug.trim() }),
      checks: listed,
      tags: wordsOf(tags),
      publicNames: listed.flatMap((id) => (chosen[id]?.trim() ? [{ check: id, name: chosen[id].trim() }] : [])),
    };
    if (editing) await api.editStatusPage(editing.id, fields);
    else await api.createStatusPage(fields);
    fill(null);
    pages.reload();
  });

  const remove = async (id: string, pageTitle: string) => {
    if (!window.confirm(`Delete the status page "${pageTitle}"? Its address stops working at once.`)) return;
    setDeleteError(null);
    try {
      await api.deleteStatusPage(id);
      pages.reload();
    } catch (failure) {
      setDeleteError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <section aria-labelledby="status-pages-title">
      <h2 id="status-pages-title">Status pages</h2>
      <p className="muted">
        Public pages anyone with the address can read, without signing in: the state, 90-day uptime and recent incidents of the checks you
        list, under public names if you give them. Ping addresses, ids and ping bodies are never shown.
      </p>
      {pages.error && <p className="error">Could not load the status pages: {pages.error.message}</p>}
      {pages.data?.length === 0 && <p className="muted">No status pages yet.</p>}
      <ul className="rows">
        {pages.data?.map((page) => (
          <li key={page.id}>
            <span>{page.title}</span>
            <a href={page.url}>{page.url}</a>
            <a href={`${page.url}.json`}>JSON</a>
            <span className="muted">
              {page.checks.length} checks{page.tags.length > 0 && `, tags ${page.tags.join(', ')}`}
            </span>
            {canAdmin && (
              <>
                <button type="button" onClick={() => fill(page)}>
                  Edit {page.title}
                </button>
                <button type="button" className="danger" onClick={() => remove(page.id, page.title)}>
                  Delete
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {deleteError && <p className="error">{deleteError}</p>}
      {canAdmin ? (
        <form onSubmit={save.submit} aria-labelledby="status-page-form-title">
          <h3 id="status-page-form-title">{editing ? `Edit status page ${editing.title}` : 'New status page'}</h3>
          <label>
            Title
            <input required maxLength={100} value={title} onChange={(event) => setTitle(event.target.value)} />
          </label>
          <label>
            Address (optional: random when empty; a new one ends the old)
            <input
              value={slug}
              pattern="[a-z0-9][a-z0-9\-]*[a-z0-9]"
              minLength={3}
              maxLength={64}
              placeholder="acme-jobs"
              onChange={(event) => setSlug(event.target.value)}
            />
          </label>
          <label>
            Description
            <textarea maxLength={1000} value={description} onChange={(event) => setDescription(event.target.value)} />
          </label>
          <label>
            Also list checks with these tags
            <input value={tags} placeholder="public, web" onChange={(event) => setTags(event.target.value)} />
          </label>
          <fieldset>
            <legend>Checks to list, each with an optional public name</legend>
            {checks.data?.map((check) => (
              <div key={check.id} className="inline-form">
                <label>
                  <input
                    type="checkbox"
                    checked={chosen[check.id] !== undefined}
                    onChange={(event) =>
                      setChosen((current) => ({ ...current, [check.id]: event.target.checked ? (current[check.id] ?? '') : undefined }))
                    }
                  />
                  {check.name}
                </label>
                {chosen[check.id] !== undefined && (
                  <label>
                    Public name of {check.name}
                    <input
                      maxLength={100}
                      value={chosen[check.id]}
                      placeholder={check.name}
                      onChange={(event) => setChosen((current) => ({ ...current, [check.id]: event.target.value }))}
                    />
                  </label>
                )}
              </div>
            ))}
          </fieldset>
          <button type="submit" disabled={save.busy}>
            {editing ? 'Save status page' : 'Create status page'}
          </button>
          {editing && (
            <button type="button" onClick={() => fill(null)}>
              Cancel
            </button>
          )}
          {save.error && <p className="error">{save.error}</p>}
        </form>
      ) : (
        <p className="muted">Status pages are created and changed by the project's owners and admins.</p>
      )}
    </section>
  );
}
