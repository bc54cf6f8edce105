import { type FormEvent, useEffect, useState } from 'react';
import { editorFieldErrors, type PolicyDraft } from '../alert-policy';
import { ApiError, api } from '../api';
import { type CheckDraft, draftOf, EMPTY_DRAFT, inputOf, typedErrors } from '../check-draft';
import { durationError } from '../durations';
import { navigate } from '../router';
import { useSession } from '../session';
import { duration } from '../time';
import type { Channel, Check } from '../types';
import { ChannelPicker } from './ChannelPicker';
import { DependsOnPicker } from './DependsOnPicker';
import { Field } from './Field';
import { Link } from './Link';
import { PolicyFields } from './PolicyFields';
import { ScheduleFields } from './ScheduleFields';

/** Reminder intervals offered, in seconds; a check set to another through the API keeps its own. */
const REMINDER_CHOICES = [3_600, 21_600, 86_400];

/** Create a check, or edit one when `id` is given. */
export function CheckEditor({ id }: { id?: string }) {
  const { canWrite } = useSession();
  const [draft, setDraft] = useState<CheckDraft | null>(id ? null : EMPTY_DRAFT);
  const [channels, setChannels] = useState<Channel[]>([]);
  const [checks, setChecks] = useState<Check[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (id)
      api.check(id).then(
        (check) => setDraft(draftOf(check)),
        (error: Error) => setFormError(error.message),
      );
    api.channels().then(
      (loaded) => {
        setChannels(loaded);
        // A new check alerts through every channel unless its author unticks some: never nobody by default.
        if (!id)
          setDraft((current) =>
            current && current.channels === EMPTY_DRAFT.channels ? { ...current, channels: loaded.map((c) => c.id) } : current,
          );
      },
      () => setChannels([]),
    );
    api.checks().then(setChecks, () => setChecks([]));
  }, [id]);

  if (!canWrite) return <p>Your role in this project can only look at checks.</p>;
  if (!draft) return <p className="muted">{formError ?? 'Loading…'}</p>;
  const forget = (fields: string[]) => {
    const edited = new Set(fields);
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([field]) => !edited.has(field))));
  };
  const update = (patch: Partial<CheckDraft>) => {
    setDraft({ ...draft, ...patch });
    // Editing a field clears what was said about it; the schedule answers for three of the API's fields.
    forget(Object.keys(patch).flatMap((key) => (key === 'schedule' ? ['period', 'cron', 'onCalendar', 'tz', 'earlyTolerance'] : [key])));
  };
  const updatePolicy = (patch: Partial<PolicyDraft>) => {
    setDraft({ ...draft, policy: { ...draft.policy, ...patch } });
    // The duration anomaly's mode, minimum and maximum answer together for `durationAnomaly`.
    forget(
      Object.keys(patch).flatMap((key) => (key === 'durationMode' ? ['durationAnomaly', 'factor', 'minDuration', 'maxDuration'] : [key])),
    );
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const invalid = typedErrors(draft);
    if (Object.keys(invalid).length > 0) {
      setErrors(invalid);
      setFormError('Please correct the fields marked below.');
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const saved = id ? await api.updateCheck(id, inputOf(draft)) : await api.createCheck(inputOf(draft));
      navigate(`/checks/${saved.id}`);
    } catch (error) {
      if (error instanceof ApiError) {
        setErrors(editorFieldErrors(error.fields));
        setFormError(Object.keys(error.fields).length > 0 ? 'Please correct the fields marked below.' : error.message);
      } else setFormError('Cronbeat could not be reached. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>{id ? 'Edit check' : 'New check'}</h1>
      <form className="stack editor" onSubmit={submit} noValidate>
        {formError && (
          <p className="error" role="alert">
            {formError}
          </p>
        )}
        <Field label="Name" error={errors.name}>
          <input name="name" required value={draft.name} onChange={(event) => update({ name: event.target.value })} />
        </Field>
        <Field label="Slug" hint="Optional: lets jobs ping /ping/<ping key>/<slug>." error={errors.slug}>
          <input name="slug" className="mono" value={draft.slug} onChange={(event) => update({ slug: event.target.value })} />
        </Field>
        <Field label="Tags" hint="Separated by spaces." error={errors.tags}>
          <input name="tags" value={draft.tags} onChange={(event) => update({ tags: event.target.value })} />
        </Field>
        <Field label="Description" error={errors.description}>
          <textarea
            name="description"
            rows={2}
            value={draft.description}
            onChange={(event) => update({ description: event.target.value })}
          />
        </Field>
        <ScheduleFields value={draft.schedule} onChange={(schedule) => update({ schedule })} serverErrors={errors} />
        <Field
          label="Grace"
          hint="How late a ping may be before the check goes down, e.g. 15m or 1h."
          error={durationError(draft.grace) ?? errors.grace}
        >
          <input
            name="grace"
            className="mono"
            spellCheck={false}
            autoComplete="off"
            value={draft.grace}
            onChange={(event) => update({ grace: event.target.value })}
          />
        </Field>
        <Field
          label="Max runtime"
          hint="Optional: alert when a started run takes longer, e.g. 2h. Empty: the grace time."
          error={durationError(draft.maxRuntime, true) ?? errors.maxRuntime}
        >
          <input
            name="maxRuntime"
            className="mono"
            spellCheck={false}
            autoComplete="off"
            value={draft.maxRuntime}
            onChange={(event) => update({ maxRuntime: event.target.value })}
          />
        </Field>
        <label className="inline">
          <input type="checkbox" checked={draft.manualResume} onChange={(event) => update({ manualResume: event.target.checked })} />
          Manual resume: once down, stay down until someone resumes it
        </label>
        <Field
          label="Ping methods"
          hint="POST only: a GET or HEAD (a chat app or crawler previewing the URL) is logged as ignored and changes nothing."
          error={errors.methods}
        >
          <select
            name="methods"
            value={draft.methods}
            onChange={(event) => update({ methods: event.target.value === 'POST' ? 'POST' : '' })}
          >
            <option value="">GET, HEAD or POST</option>
            <option value="POST">POST only</option>
          </select>
        </Field>
        <Field label="Remind while down" hint="Alert the channels again this often until the check is back up." error={errors.remindEvery}>
          <select
            name="remindEvery"
            value={draft.remindEvery ?? ''}
            onChange={(event) => update({ remindEvery: event.target.value ? Number(event.target.value) : null })}
          >
            <option value="">Never: alert once when it goes down</option>
            {[...new Set([...REMINDER_CHOICES, ...(draft.remindEvery ? [draft.remindEvery] : [])])]
              .sort((a, b) => a - b)
              .map((seconds) => (
                <option key={seconds} value={seconds}>
                  Every {duration(seconds)}
                </option>
              ))}
          </select>
        </Field>
        <PolicyFields value={draft.policy} onChange={updatePolicy} cron={draft.schedule.kind !== 'period'} errors={errors}>
          <label className="inline">
            <input type="checkbox" checked={draft.alertOnLate} onChange={(event) => update({ alertOnLate: event.target.checked })} />
            Alert when late: as soon as a ping is overdue, before the grace time runs out
          </label>
        </PolicyFields>
        <DependsOnPicker
          candidates={checks.filter((check) => check.id !== id)}
          selected={draft.dependsOn}
          onChange={(dependsOn) => update({ dependsOn })}
          error={errors.dependsOn ?? Object.entries(errors).find(([field]) => field.startsWith('dependsOn.'))?.[1]}
        />
        <ChannelPicker channels={channels} selected={draft.channels} onChange={(selected) => update({ channels: selected })} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {id ? 'Save' : 'Create check'}
          </button>
          <Link to={id ? `/checks/${id}` : '/'}>Cancel</Link>
        </div>
      </form>
    </section>
  );
}
