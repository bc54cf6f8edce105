import { newSecret, type Values } from '../channelFormValues';
import type { FieldSpec } from '../channelKinds';
import { ChannelConfigField } from './ChannelConfigField';

/**
 * A kind's config fields, each with the API's error for it beside it (an
 * error on `config` as a whole goes beside the first required field), and
 * the webhook's "Generate a secret". `storedSecrets` (edit forms) names the
 * secrets the channel has; `cleared` those to remove on save.
 */
export function ChannelConfigFields({
  kind,
  specs,
  values,
  errors,
  onChange,
  storedSecrets = [],
  cleared = new Set(),
  onClear = () => {},
}: {
  kind: string;
  specs: FieldSpec[];
  values: Values;
  errors: Record<string, string>;
  onChange: (field: string, value: string | boolean) => void;
  storedSecrets?: readonly string[];
  cleared?: ReadonlySet<string>;
  onClear?: (field: string, cleared: boolean) => void;
}) {
  const firstRequired = specs.find((spec) => spec.required)?.name;
  return (
    <>
      {specs.map((spec) => (
        <ChannelConfigField
          key={`${kind}.${spec.name}`}
          spec={spec}
          value={values[spec.name]}
          error={errors[`config.${spec.name}`] ?? (spec.name === firstRequired ? errors.config : undefined)}
          onChange={(value) => onChange(spec.name, value)}
          stored={
            storedSecrets.includes(spec.name)
              ? { cleared: cleared.has(spec.name), onClear: (on: boolean) => onClear(spec.name, on) }
              : undefined
          }
        />
      ))}
      {kind === 'webhook' && (
        <div className="actions">
          <button type="button" onClick={() => onChange('secret', newSecret())}>
            Generate a secret
          </button>
        </div>
      )}
    </>
  );
}
