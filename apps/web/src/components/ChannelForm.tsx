import { type FormEvent, type ReactElement, useEffect, useId, useState } from 'react';
import { ApiError, api } from '../api';
import { type ChannelKindInfo, type FieldSpec, fieldsOf, parseHeaders } from '../channelKinds';
import type { ChannelKind } from '../types';
import { Field } from './Field';

/** Words of our own where the built-in kinds' schema descriptions are written for the API. */
const OVERRIDES: Record<string, Record<string, Partial<FieldSpec>>> = {
  email: { to: { label: 'Email address', hint: 'Alerts and recoveries are sent here.', control: { kind: 'input', type: 'email' } } },
  slack: { url: { label: 'Incoming webhook URL', hint: 'From Slack: Apps → Incoming Webhooks.' } },
  webhook: {
    url: { label: 'URL', hint: 'Cronbeat POSTs a JSON body here on every status change.' },
    // Shown as typed: the receiver needs a copy of it.
    secret: {
      label: 'Signing secret',
      hint: 'Optional, 16 to 256 characters: each request then carries X-Cronbeat-Signature, the HMAC-SHA256 of its body under this secret. Keep a copy for the receiver.',
      control: { kind: 'input', type: 'text' },
    },
  },
  'templated-webhook': {
    headers: { hint: 'One "Name: value" per line; values may hold variables. Secret: never shown back.' },
    body: { label: 'Body template', control: { kind: 'textarea' } },
  },
};

const specsOf = (info: ChannelKindInfo): FieldSpec[] => fieldsOf(info).map((spec) => ({ ...spec, ...OVERRIDES[info.kind]?.[spec.name] }));

/** A webhook secret nobody will guess: 32 random bytes as hex (the receiver keeps a copy to check signatures). */
function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The kinds do not change while the page is open. */
let kindsLoaded: Promise<ChannelKindInfo[]> | null = null;
const loadKinds = () => {
  kindsLoaded ??= api.channelKinds().catch((error: unknown) => {
    kindsLoaded = null;
    throw error;
  });
  return kindsLoaded;
};

type Values = Record<string, string | boolean>;

/** The config the API takes from what was typed; empty optional fields are left out so the kind's defaults apply. */
function configOf(specs: FieldSpec[], values: Values): { config: Record<string, unknown>; errors: Record<string, string> } {
  const config: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    const value = values[spec.name];
    if (spec.control.kind === 'checkbox') {
      if (value !== undefined) config[spec.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value : '';
    if (text.trim() === '') continue;
    if (spec.control.kind === 'number') config[spec.name] = Number(text);
    else if (spec.control.kind === 'headers') {
      try {
        config[spec.name] = parseHeaders(text);
      } catch (error) {
        errors[`config.${spec.name}`] = (error as Error).message;
      }
    } else config[spec.name] = spec.control.kind === 'textarea' ? text : text.trim();
  }
  return { config, errors };
}

function ConfigField({
  spec,
  value,
  error,
  onChange,
}: {
  spec: FieldSpec;
  value: string | boolean | undefined;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const hintId = useId();
  const label = spec.required ? `${spec.label} (required)` : spec.label;
  const text = typeof value === 'string' ? value : '';
  const { control } = spec;
  if (control.kind === 'checkbox') {
    return (
      <div className="field">
        <label className="inline">
          <input
            type="checkbox"
            name={spec.name}
            checked={value === true || (value === undefined && spec.defaultValue === true)}
            aria-describedby={spec.hint ? hintId : undefined}
            onChange={(event) => onChange(event.target.checked)}
          />
          {label}
        </label>
        {spec.hint && (
          <p className="hint" id={hintId}>
            {spec.hint}
          </p>
        )}
        {error && <p className="error field-error">{error}</p>}
      </div>
    );
  }
  const common = { name: spec.name, required: spec.required, value: text };
  const change = (event: { target: { value: string } }) => onChange(event.target.value);
  let input: ReactElement<Record<string, unknown>>;
  if (control.kind === 'select') {
    input = (
      <select {...common} onChange={change}>
        <option value="">
          {spec.defaultValue !== undefined ? `Default (${String(spec.defaultValue)})` : spec.required ? 'Choose…' : 'None'}
        </option>
        {control.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (control.kind === 'textarea' || control.kind === 'headers') {
    input = (
      <textarea
        {...common}
        className="mono"
        rows={control.kind === 'headers' ? 3 : 8}
        spellCheck={false}
        autoComplete="off"
        placeholder={control.kind === 'headers' ? 'Authorization: Bearer …' : undefined}
        onChange={change}
      />
    );
  } else if (control.kind === 'number') {
    input = (
      <input
        {...common}
        type="number"
        step={control.integer ? 1 : 'any'}
        min={control.min}
        max={control.max}
        placeholder={spec.defaultValue !== undefined ? String(spec.defaultValue) : undefined}
        onChange={change}
      />
    );
  } else {
    input = (
      <input
        {...common}
        type={control.type}
        className={spec.secret || control.type === 'url' ? 'mono' : undefined}
        autoComplete={control.type === 'password' ? 'new-password' : 'off'}
        spellCheck={false}
        placeholder={typeof spec.defaultValue === 'string' ? spec.defaultValue : undefined}
        onChange={change}
      />
    );
  }
  return (
    <Field label={label} hint={spec.hint} error={error}>
      {input}
    </Field>
  );
}

/**
 * Adds a channel of any kind, its fields drawn from the kind's config
 * schema. By default every existing check alerts the new channel too: a
 * newcomer who adds a channel after their checks would otherwise be left
 * with checks that alert nobody.
 */
export function ChannelForm({ onDone }: { onDone: () => void }) {
  const attachHint = useId();
  const [kinds, setKinds] = useState<ChannelKindInfo[] | null>(null);
  const [kind, setKind] = useState<ChannelKind>('email');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Values>({});
  const [attachToAllChecks, setAttachToAllChecks] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    loadKinds().then(
      (loaded) => live && setKinds(loaded),
      (error: unknown) =>
        live && setFormError(`Could not load the channel kinds: ${error instanceof Error ? error.message : String(error)}`),
    );
    return () => {
      live = false;
    };
  }, []);

  const info = kinds?.find((candidate) => candidate.kind === kind);
  const specs = info ? specsOf(info) : [];

  const chooseKind = (next: ChannelKind) => {
    setKind(next);
    setValues({});
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
      await api.createChannel({ kind, name: name.trim() || defaultName(), config, attachToAllChecks } as Parameters<
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
        {formError ? (
          <p className="error" role="alert">
            {formError}
          </p>
        ) : (
          <p className="muted">Loading the channel kinds…</p>
        )}
      </div>
    );

  const firstRequired = specs.find((spec) => spec.required)?.name;
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
      {specs.map((spec) => (
        <ConfigField
          key={`${kind}.${spec.name}`}
          spec={spec}
          value={values[spec.name]}
          error={errors[`config.${spec.name}`] ?? (spec.name === firstRequired ? errors.config : undefined)}
          onChange={(value) => setValues((current) => ({ ...current, [spec.name]: value }))}
        />
      ))}
      {kind === 'webhook' && (
        <div className="actions">
          <button type="button" onClick={() => setValues((current) => ({ ...current, secret: newSecret() }))}>
            Generate a secret
          </button>
        </div>
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
