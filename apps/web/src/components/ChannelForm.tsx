import { type FormEvent, useId, useState } from 'react';
import { ApiError, api } from '../api';
import { configOf, specsOf, type Values } from '../channelFormValues';
import type { Channel, ChannelKind } from '../types';
import { useChannelKinds } from '../useChannelKinds';
import { ChannelConfigFields } from './ChannelConfigFields';
import { ChannelEventsField } from './ChannelEventsField';
import { Field } from './Field';

/**
 * Adds a channel of any kind, its fields drawn from the kind's config
 * schema. By default every existing check alerts the new channel too: a
 * newcomer who adds a channel after their checks would otherwise be left
 * with checks that alert nobody.
 */
export function ChannelForm({ onDone }: { onDone: () => void }) {
  const attachHint = useId();
  const { kinds, error: kindsError } = useChannelKinds();
  const [kind, setKind] = useState<ChannelKind>('email');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Values>({});
  const [attachToAllChecks, setAttachToAllChecks] = useState(true);
  // null until changed: the chosen kind's own defaults (incident tools leave out late).
  const [chosenEvents, setChosenEvents] = useState<Channel['events'] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const info = kinds?.find((candidate) => candidate.kind === kind);
  const specs = info ? specsOf(info) : [];
  const events = chosenEvents ?? info?.defaultEvents ?? [];

  const chooseKind = (next: ChannelKind) => {
    setKind(next);
    setValues({});
    setChosenEvents(null);
    setErrors({});
    setFormError(null);
  };

  /** A name from what was typed when none was given: the first required field that is not a secret, else the kind's title. */
  const defaultName = (): string => {
    const shown = specs.find((spec) => spec.required && !spec.secret && typeof values[spec.name] === 'string');
    return (shown && String(values[shown.name]).trim()) || info?.title || kind;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const { config, errors: typed } = configOf(specs, values);
    if (Object.keys(typed).length > 0) {
      setErrors(typed);
      return;
    }
    try {
      await api.createChannel({ kind, name: name.trim() || defaultName(), config, events, attachToAllChecks } as Parameters<
        typeof api.createChannel
      >[0]);
      onDone();
    } catch (error) {
      if (error instanceof ApiError) {
        setErrors(error.fields);
        setFormError(error.message);
      } else setFormError('Cronbeat could not be reached. Try again.');
    }
  };

  if (!kinds)
    return (
      <div className="card">
        {kindsError ? (
          <p className="error" role="alert">
            {kindsError}
          </p>
        ) : (
          <p className="muted">Loading the channel kinds…</p>
        )}
      </div>
    );

  return (
    <form className="stack card" onSubmit={submit}>
      <Field label="Kind">
        <select value={kind} onChange={(event) => chooseKind(event.target.value as ChannelKind)}>
          {kinds.map((candidate) => (
            <option key={candidate.kind} value={candidate.kind}>
              {candidate.title}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Name" hint="Optional: how the channel is listed." error={errors.name}>
        <input value={name} onChange={(event) => setName(event.target.value)} />
      </Field>
      <ChannelConfigFields
        kind={kind}
        specs={specs}
        values={values}
        errors={errors}
        onChange={(field, value) => setValues((current) => ({ ...current, [field]: value }))}
      />
      <ChannelEventsField events={events} errors={errors} onChange={setChosenEvents} />
      <div className="field">
        <label className="inline">
          <input
            type="checkbox"
            name="attachToAllChecks"
            checked={attachToAllChecks}
            aria-describedby={attachHint}
            onChange={(event) => setAttachToAllChecks(event.target.checked)}
          />
          Attach to all checks
        </label>
        <p className="hint" id={attachHint}>
          {attachToAllChecks
            ? 'Every check of this project alerts this channel too.'
            : 'No check alerts this channel until you choose some on its card.'}
        </p>
      </div>
      {formError && (
        <p className="error" role="alert">
          {formError}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary">
          Add
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
