/**
 * Between a channel's config and what its form shows: the dashboard's own
 * words for the built-in kinds' fields, the config the API takes from what
 * was typed, and the values a stored config fills an edit form with.
 * Secrets come back from the API only as `{ "set": true }`, so an edit form
 * starts them empty and sends one only when something was typed.
 */
import { type ChannelKindInfo, type FieldSpec, fieldsOf, parseHeaders } from './channelKinds';

/** Words of our own where the built-in kinds' schema descriptions are written for the API. */
const OVERRIDES: Record<string, Record<string, Partial<FieldSpec>>> = {
  email: {
    to: {
      label: 'Email address',
      hint: 'Alerts and recoveries are sent here; separate several with commas.',
      control: { kind: 'input', type: 'email' },
    },
  },
  slack: { url: { label: 'Incoming webhook URL', hint: 'From Slack: Apps → Incoming Webhooks. Secret: never shown back.' } },
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

/** A kind's fields as its form shows them. */
export const specsOf = (info: ChannelKindInfo): FieldSpec[] =>
  fieldsOf(info).map((spec) => ({ ...spec, ...OVERRIDES[info.kind]?.[spec.name] }));

/** What a form holds per field: text for inputs, a boolean for checkboxes. */
export type Values = Record<string, string | boolean>;

/** A webhook secret nobody will guess: 32 random bytes as hex (the receiver keeps a copy to check signatures). */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** What the API answers for a secret that is set. */
export const isSetMarker = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { set?: unknown }).set === true;

/**
 * The config the API takes from what was typed. Empty fields are left out,
 * so on create the kind's defaults apply and on edit a secret left empty is
 * kept (the API keeps a secret a config leaves out). `cleared` names
 * secrets to remove: they are sent as null.
 */
export function configOf(
  specs: FieldSpec[],
  values: Values,
  cleared: ReadonlySet<string> = new Set(),
): { config: Record<string, unknown>; errors: Record<string, string> } {
  const config: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    if (cleared.has(spec.name)) {
      config[spec.name] = null;
      continue;
    }
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
    } else if (spec.list && text.includes(',')) {
      config[spec.name] = text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    } else config[spec.name] = spec.control.kind === 'textarea' ? text : text.trim();
  }
  return { config, errors };
}

/**
 * An edit form's values from a stored config as the API shows it: plain
 * fields as text (lists joined with commas, headers as "Name: value"
 * lines), checkboxes as booleans. Secrets start empty: the API never
 * shows them, and an empty one is kept.
 */
export function valuesOf(specs: FieldSpec[], config: Record<string, unknown>): Values {
  const values: Values = {};
  for (const spec of specs) {
    const value = config[spec.name];
    if (spec.secret || value === undefined || value === null || isSetMarker(value)) continue;
    if (typeof value === 'boolean') values[spec.name] = value;
    else if (Array.isArray(value)) values[spec.name] = value.map(String).join(', ');
    else if (typeof value === 'object')
      values[spec.name] = Object.entries(value as Record<string, unknown>)
        .map(([header, text]) => `${header}: ${String(text)}`)
        .join('\n');
    else values[spec.name] = String(value);
  }
  return values;
}
