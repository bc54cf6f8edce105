import { type FormEvent, useId, useState } from 'react';
import { ApiError, api } from '../api';
import { changesOfDraft, draftErrors, draftOfWindow, emptyDraft, inputOfDraft, type WindowDraft } from '../maintenance';
import { describeCron } from '../schedule';
import { browserZone } from '../time';
import type { Check, MaintenanceWindow } from '../types';
import { zoneProblem } from '../zones';
import { Field } from './Field';
import { ZONES } from './ScheduleFields';

/** The API names list items (`tags.0`); the form shows them beside the list. */
const byField = (fields: Record<string, string>): Record<string, string> => {
  const shown: Record<string, string> = {};
  for (const [field, message] of Object.entries(fields)) {
    const [head, ...rest] = field.split('.');
    shown[head!] ??= rest.length > 0 ? `${Number(rest[0]) + 1}: ${message}` : message;
  }
  return shown;
};

/** Creates a maintenance window, or edits `window`; the API's refusals are shown beside their fields. */
export function MaintenanceForm({ window, checks, onDone }: { window?: MaintenanceWindow; checks: Check[]; onDone: () => void }) {
  const [original] = useState<WindowDraft>(() => (window ? draftOfWindow(window) : emptyDraft()));
  const [draft, setDraft] = useState<WindowDraft>(original);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const checksError = useId();
  const zonesList = useId();

  const update = (patch: Partial<WindowDraft>) => {
    setDraft({ ...draft, ...patch });
    const edited = new Set(Object.keys(patch));
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([field]) => !edited.has(field))));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const zone = draft.kind === 'recurring' ? zoneProblem(draft.tz, ZONES)?.error : undefined;
    const invalid = { ...draftErrors(draft), ...(zone && { tz: zone }) };
    if (Object.keys(invalid).length > 0) {
      setErrors(invalid);
      setFormError('Please correct the fields marked below.');
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      if (window) await api.updateMaintenanceWindow(window.id, changesOfDraft(original, draft));
      else await api.createMaintenanceWindow(inputOfDraft(draft));
      onDone();
    } catch (error) {
      if (error instanceof ApiError) {
        setErrors(byField(error.fields));
        setFormError(Object.keys(error.fields).length > 0 ? 'Please correct the fields marked below.' : error.message);
      } else setFormError('Cronbeat could not be reached. Try again.');
    } finally {
      setBusy(false);
    }
  };

  const cron = draft.kind === 'recurring' && draft.cron.trim() ? describeCron(draft.cron) : null;
  const zone = browserZone();
  return (
    <form className="stack card editor" onSubmit={submit} noValidate aria-label={window ? `Edit ${window.name}` : 'New maintenance window'}>
      <h2>{window ? `Edit “${window.name}”` : 'New maintenance window'}</h2>
      {formError && (
        <p className="error" role="alert">
          {formError}
        </p>
      )}
      <Field label="Name" hint="Shown on the check page and in alerts, e.g. Database upgrade." error={errors.name}>
        <input name="name" required value={draft.name} onChange={(event) => update({ name: event.target.value })} />
      </Field>
      <fieldset className="stack">
        <legend>When</legend>
        <label className="inline">
          <input type="radio" name="kind" checked={draft.kind === 'once'} onChange={() => update({ kind: 'once' })} />
          One-off: from a start to an end
        </label>
        <label className="inline">
          <input type="radio" name="kind" checked={draft.kind === 'recurring'} onChange={() => update({ kind: 'recurring' })} />
          Recurring: each time a cron expression fires, for a while
        </label>
      </fieldset>
      {draft.kind === 'once' ? (
        <>
          <Field label="Starts" hint={`In your time zone (${zone}).`} error={errors.startsAt}>
            <input
              type="datetime-local"
              name="startsAt"
              value={draft.startsAt}
              onChange={(event) => update({ startsAt: event.target.value })}
            />
          </Field>
          <Field label="Ends" hint="At most 31 days after the start." error={errors.endsAt}>
            <input type="datetime-local" name="endsAt" value={draft.endsAt} onChange={(event) => update({ endsAt: event.target.value })} />
          </Field>
        </>
      ) : (
        <>
          <Field
            label="Cron expression"
            hint={cron && 'words' in cron ? cron.words : 'Five fields: minute hour day-of-month month day-of-week, e.g. 0 2 * * SUN.'}
            error={errors.cron ?? (cron && 'error' in cron ? cron.error : undefined)}
          >
            <input
              name="cron"
              className="mono"
              spellCheck={false}
              autoComplete="off"
              value={draft.cron}
              onChange={(event) => update({ cron: event.target.value })}
            />
          </Field>
          <Field label="Time zone" hint="The cron expression is read in this zone, across DST as cron does." error={errors.tz}>
            <input
              name="tz"
              list={zonesList}
              spellCheck={false}
              autoComplete="off"
              value={draft.tz}
              onChange={(event) => update({ tz: event.target.value })}
            />
          </Field>
          <datalist id={zonesList}>
            {ZONES.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <Field label="Duration" hint="How long each occurrence lasts, e.g. 30m or 2h (1 minute to 7 days)." error={errors.duration}>
            <input
              name="duration"
              className="mono"
              spellCheck={false}
              autoComplete="off"
              value={draft.duration}
              onChange={(event) => update({ duration: event.target.value })}
            />
          </Field>
        </>
      )}
      <fieldset className="stack">
        <legend>Covers</legend>
        <label className="inline">
          <input type="radio" name="covers" checked={draft.covers === 'project'} onChange={() => update({ covers: 'project' })} />
          Every check of the project
        </label>
        <label className="inline">
          <input type="radio" name="covers" checked={draft.covers === 'tags'} onChange={() => update({ covers: 'tags' })} />
          Checks with any of some tags
        </label>
        <label className="inline">
          <input type="radio" name="covers" checked={draft.covers === 'checks'} onChange={() => update({ covers: 'checks' })} />
          Chosen checks
        </label>
        {errors.covers && <p className="error field-error">{errors.covers}</p>}
      </fieldset>
      {draft.covers === 'tags' && (
        <Field label="Tags" hint="Separated by spaces: a check with any of them is covered." error={errors.tags}>
          <input name="tags" value={draft.tags} onChange={(event) => update({ tags: event.target.value })} />
        </Field>
      )}
      {draft.covers === 'checks' && (
        <fieldset className="stack" aria-describedby={errors.checks ? checksError : undefined}>
          <legend>Checks</legend>
          {checks.length === 0 && <p className="hint">This project has no checks yet.</p>}
          {checks.map((check) => (
            <label key={check.id} className="inline">
              <input
                type="checkbox"
                checked={draft.checks.includes(check.id)}
                onChange={(event) =>
                  update({ checks: event.target.checked ? [...draft.checks, check.id] : draft.checks.filter((id) => id !== check.id) })
                }
              />
              {check.name}
            </label>
          ))}
          {errors.checks && (
            <p className="error field-error" id={checksError}>
              {errors.checks}
            </p>
          )}
        </fieldset>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {window ? 'Save' : 'Create window'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
