import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api';
import type { ChannelKind } from '../types';
import { Field } from './Field';

const TARGET: Record<ChannelKind, { label: string; field: string; type: string; hint: string }> = {
  email: { label: 'Email address', field: 'to', type: 'email', hint: 'Alerts and recoveries are sent here.' },
  slack: { label: 'Incoming webhook URL', field: 'url', type: 'url', hint: 'From Slack: Apps → Incoming Webhooks.' },
  webhook: { label: 'URL', field: 'url', type: 'url', hint: 'Cronbeat POSTs a JSON body here on every status change.' },
};

/** Adds an email, Slack or webhook channel. */
export function ChannelForm({ onDone }: { onDone: () => void }) {
  const [kind, setKind] = useState<ChannelKind>('email');
  const [name, setName] = useState('');
  const [target, setTarget] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const spec = TARGET[kind];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    try {
      await api.createChannel({ kind, name: name || target, config: { [spec.field]: target } });
      onDone();
    } catch (error) {
      if (error instanceof ApiError) {
        setErrors(error.fields);
        setFormError(error.message);
      } else setFormError('Cronbeat could not be reached. Try again.');
    }
  };

  return (
    <form className="stack card" onSubmit={submit}>
      <Field label="Kind">
        <select value={kind} onChange={(event) => setKind(event.target.value as ChannelKind)}>
          <option value="email">Email</option>
          <option value="slack">Slack</option>
          <option value="webhook">Webhook</option>
        </select>
      </Field>
      <Field label="Name" hint="Optional: how the channel is listed." error={errors.name}>
        <input value={name} onChange={(event) => setName(event.target.value)} />
      </Field>
      <Field label={spec.label} hint={spec.hint} error={errors[`config.${spec.field}`] ?? errors.config}>
        <input type={spec.type} required value={target} onChange={(event) => setTarget(event.target.value)} />
      </Field>
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
