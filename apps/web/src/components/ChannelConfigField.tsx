import { type ReactElement, useId } from 'react';
import type { FieldSpec } from '../channelKinds';
import { Field } from './Field';

/** What an edit form knows of a secret: stored (the API says only that), and whether to remove it on save. */
export interface StoredSecret {
  cleared: boolean;
  onClear: (cleared: boolean) => void;
}

const SET_PLACEHOLDER = 'set — leave empty to keep';

/**
 * One config field of a channel, its control chosen from the kind's schema.
 * A secret that is stored shows only that it is set: typing replaces it,
 * leaving it empty keeps it, and an optional one can be removed.
 */
export function ChannelConfigField({
  spec,
  value,
  error,
  onChange,
  stored,
}: {
  spec: FieldSpec;
  value: string | boolean | undefined;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
  /** Set for a secret the channel already has. */
  stored?: StoredSecret | undefined;
}) {
  const hintId = useId();
  // A stored secret need not be typed again, so it is not required here.
  const required = spec.required && !stored;
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
  const common = { name: spec.name, required, value: text, disabled: stored?.cleared === true };
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
        placeholder={stored ? SET_PLACEHOLDER : control.kind === 'headers' ? 'Authorization: Bearer …' : undefined}
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
        multiple={control.type === 'email' && spec.list ? true : undefined}
        className={spec.secret || control.type === 'url' ? 'mono' : undefined}
        autoComplete={control.type === 'password' ? 'new-password' : 'off'}
        spellCheck={false}
        placeholder={stored ? SET_PLACEHOLDER : typeof spec.defaultValue === 'string' ? spec.defaultValue : undefined}
        onChange={change}
      />
    );
  }
  return (
    <>
      <Field label={label} hint={spec.hint} error={error}>
        {input}
      </Field>
      {stored && !spec.required && (
        <label className="inline">
          <input type="checkbox" checked={stored.cleared} onChange={(event) => stored.onClear(event.target.checked)} />
          Remove the stored {spec.label.toLowerCase()}
        </label>
      )}
    </>
  );
}
