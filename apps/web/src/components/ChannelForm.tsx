import { type FormEvent, useId, useState } from 'react';
import { ApiError, api } from '../api';
import type { ChannelKind } from '../types';
import { Field } from './Field';

/** The kinds this form can add; the others are added through the API for now (see the README's channel list). */
type FormKind = Extract<ChannelKind, 'email' | 'slack' | 'webhook'>;

const TARGET: Record<FormKind, { label: string; field: string; type: string; hint: string }> = {
  email: { label: 'Email address', field: 'to', type: 'email', hint: 'Alerts and recoveries are sent here.' },
  slack: { label: 'Incoming webhook URL', field: 'url', type: 'url', hint: 'From Slack: Apps → Incoming Webhooks.' },
  webhook: { label: 'URL', field: 'url', type: 'url', hint: 'Cronbeat POSTs a JSON body here on every status change.' },
};

/** A webhook secret nobody will guess: 32 random bytes as hex (the receiver keeps a copy to check signatures). */
function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Adds an email, Slack or webhook channel. By default every existing check
 * alerts the new channel too: a newcomer who adds a channel after their
 * checks would otherwise be left with checks that alert nobody.
 */
export function ChannelForm({ onDone }: { onDone: () => void }) {
  const attachHint = useId();
  const [kind, setKind] = useState<FormKind>('email');
  const [name, setName] = useState('');
  const [target, setTarget] = useState('');
  const [secret, setSecret] = useState('');
  const [attachToAllChecks, setAttachToAllChecks] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const spec = TARGET[kind];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    try {
      const signed = kind === 'webhook' && secret.trim() !== '';
      await api.createChannel({
        kind,
        name: name || target,
        config: { [spec.field]: target, ...(signed && { secret: secret.trim() }) },
        attachToAllChecks,
      });
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
        <select value={kind} onChange={(event) => setKind(event.target.value as FormKind)}>
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
      {kind === 'webhook' && (
        <>
          <Field
            label="Signing secret"
            hint="Optional, 16 to 256 characters: each request then carries X-Cronbeat-Signature, the HMAC-SHA256 of its body under this secret. Keep a copy for the receiver."
            error={errors['config.secret']}
          >
            <input
              name="secret"
              className="mono"
              autoComplete="off"
              spellCheck={false}
              maxLength={256}
              value={secret}
              onChange={(event) => setSecret(event.target.value)}
            />
          </Field>
          <div className="actions">
            <button type="button" onClick={() => setSecret(newSecret())}>
              Generate a secret
            </button>
          </div>
        </>
      )}
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
