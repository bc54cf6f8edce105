/**
 * How the channel form draws a kind's config from the JSON Schema that
 * `GET /api/v1/channel-kinds` answers (packages/notify owns the schemas, so
 * a new kind gets a form without dashboard changes).
 */

import type { Channel } from './types';

/** The parts of JSON Schema the kinds' config schemas use. */
export interface JsonSchema {
  type?: string;
  format?: string;
  pattern?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

export interface ChannelKindInfo {
  kind: string;
  title: string;
  secrets: string[];
  /** The events a new channel of the kind is sent unless others are chosen. */
  defaultEvents: Channel['events'];
  schema: JsonSchema;
}

export type Control =
  | { kind: 'input'; type: 'text' | 'url' | 'email' | 'password' }
  | { kind: 'textarea' }
  | { kind: 'number'; integer: boolean; min?: number; max?: number }
  | { kind: 'select'; options: string[] }
  | { kind: 'checkbox' }
  | { kind: 'headers' };

/** One config field as the form shows it. */
export interface FieldSpec {
  name: string;
  label: string;
  hint?: string;
  required: boolean;
  secret: boolean;
  /** The field also takes a list of its value (email's `to`): commas separate items. */
  list?: boolean;
  control: Control;
  defaultValue?: unknown;
}

/** Longer strings than this get a textarea (a template body, not a name). */
const LONG_STRING = 500;

const literalsOf = (schema: JsonSchema): string[] | null => {
  if (schema.enum) return schema.enum.map(String);
  if (schema.anyOf?.length && schema.anyOf.every((branch) => branch.const !== undefined))
    return schema.anyOf.map((branch) => String(branch.const));
  return null;
};

/** A union of a value and null (an optional secret), or of a value and a list of it (email's `to`), is edited as the value. */
const mainBranch = (schema: JsonSchema): JsonSchema => {
  if (!schema.anyOf) return schema;
  const branch = schema.anyOf.find((candidate) => candidate.type !== 'null' && candidate.type !== 'array') ?? schema.anyOf[0] ?? {};
  return { ...branch, description: schema.description, default: schema.default };
};

const isUrl = (schema: JsonSchema): boolean =>
  schema.format === 'uri' || schema.format === 'url' || /^\^https\?:/.test(schema.pattern ?? '');

export function controlOf(schema: JsonSchema, secret: boolean): Control {
  const options = literalsOf(schema);
  if (options) return { kind: 'select', options };
  const value = mainBranch(schema);
  if (value.type === 'boolean') return { kind: 'checkbox' };
  if (value.type === 'integer' || value.type === 'number')
    return {
      kind: 'number',
      integer: value.type === 'integer',
      ...(value.minimum !== undefined && { min: value.minimum }),
      ...(value.maximum !== undefined && { max: value.maximum }),
    };
  if (value.type === 'object') return { kind: 'headers' };
  // Secrets are typed like passwords so they are not shown over a shoulder, even a URL holding a token.
  if (secret) return { kind: 'input', type: 'password' };
  if (isUrl(value)) return { kind: 'input', type: 'url' };
  if (value.format === 'email') return { kind: 'input', type: 'email' };
  if ((value.maxLength ?? 0) > LONG_STRING) return { kind: 'textarea' };
  return { kind: 'input', type: 'text' };
}

const WORDS: Record<string, string> = { url: 'URL', id: 'ID', sid: 'SID', api: 'API' };

/** `routingKey` → "Routing key", `baseUrl` → "Base URL". */
export function labelOf(field: string): string {
  const words = field.split(/(?=[A-Z])/).map((word) => WORDS[word.toLowerCase()] ?? word.toLowerCase());
  const [first = '', ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

export function fieldsOf(info: ChannelKindInfo): FieldSpec[] {
  const required = info.schema.required ?? [];
  return Object.entries(info.schema.properties ?? {}).map(([name, schema]) => {
    const secret = info.secrets.includes(name);
    return {
      name,
      label: labelOf(name),
      ...(schema.description && { hint: schema.description }),
      required: required.includes(name),
      secret,
      ...(schema.anyOf?.some((branch) => branch.type === 'array') && { list: true }),
      control: controlOf(schema, secret),
      ...(schema.default !== undefined && { defaultValue: schema.default }),
    };
  });
}

/** "Name: value" lines as headers; the first line that is not one is named in the error. */
export function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`line ${index + 1} must read Name: value`);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  });
  return headers;
}
