import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api';
import { configOf, isSetMarker, specsOf, type Values, valuesOf } from '../channelFormValues';
import type { Channel } from '../types';
import { useChannelKinds } from '../useChannelKinds';
import { ChannelConfigFields } from './ChannelConfigFields';
import { ChannelEventsField } from './ChannelEventsField';
import { Field } from './Field';

/**
 * Edits a channel: its name, its events and its config, drawn from the
 * kind's schema and filled from what the API shows. Secrets are never
 * shown: a stored one reads "set", is sent only when something is typed
 * (PATCH keeps a secret the config leaves out), and an optional one can be
 * removed.
 */
export function ChannelEditForm({
  channel,
  config,
  onDone,
}: {
  channel: Channel;
  /** The channel's config as the API shows it (secrets as { set: true }). */
  config: Record<string, unknown>;
  onDone: (saved: boolean) => void;
}) {
  const { kinds, error: kindsError } = useChannelKinds();
  const info = kinds?.find((candidate) => candidate.kind === channel.kind);
  const specs = info ? specsOf(info) : [];
  const [name, setName] = useState(channel.name);
  const [events, setEvents] = useState(channel.events);
  // Filled once the kind's fields are known; until then the form is not shown.
  const [values, setValues] = useState<Values | null>(null);
  const [cleared, setCleared] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  if (info && values === null) setValues(valuesOf(specs, config));
  const storedSecrets = (info?.secrets ?? []).filter((field) => isSetMarker(config[field]));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!values) return;
    setFormError(null);
    const { config: typed, errors: local } = configOf(specs, values, cleared);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return;
    }
    setSaving(true);
    try {
      await api.updateChannel(channel.id, { name: name.trim() || channel.name, events, config: typed });
      onDone(true);
    } catch (error) {
      if (error instanceof ApiError) {
        setErrors(error.fields);
        setFormError(error.message);
      } else setFormError('Cronbeat could not be reached. Try again.');
    } finally {
      setSaving(false);
    }
  };

  if (!info || !values)
    return kindsError ? (
      <p className="error" role="alert">
        {kindsError}
      </p>
    ) : (
      <p className="muted">Loading the channel kinds…</p>
    );

  return (
    <form className="stack" onSubmit={submit} aria-label={`Edit ${channel.name}`}>
      <Field label="Name" error={errors.name}>
        <input value={name} required onChange={(event) => setName(event.target.value)} />
      </Field>
      <ChannelConfigFields
        kind={channel.kind}
        specs={specs}
        values={values}
        errors={errors}
        onChange={(field, value) => setValues((current) => ({ ...current, [field]: value }))}
        storedSecrets={storedSecrets}
        cleared={cleared}
        onClear={(field, on) =>
          setCleared((current) => {
            const next = new Set(current);
            if (on) next.add(field);
            else next.delete(field);
            return next;
          })
        }
      />
      <ChannelEventsField events={events} errors={errors} onChange={setEvents} />
      {formError && (
        <p className="error" role="alert">
          {formError}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={saving}>
          Save
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
