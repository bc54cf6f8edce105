/**
 * The channel routes' bodies as OpenAPI shows them: one union by `kind`,
 * each kind with its config schema from packages/notify (the contract may
 * not import notify, so the server builds these from notify's list). The
 * bodies are judged by `channelBody` below, not by Ajv: Ajv's stripping of
 * unknown fields misbehaves in unions, and its union errors name no field.
 */
import { ChannelEvents, ChannelName } from '@cronbeat/contract';
import { CHANNEL_EVENTS, CHANNEL_KINDS, type ChannelEvent, type ChannelKind } from '@cronbeat/core';
import { CHANNEL_KIND_INFO, type ChannelKindInfo } from '@cronbeat/notify';
import type { FastifySchemaCompiler } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { FieldError } from '../../../errors';

const SECRET_NOTE =
  'Write-only: a channel answer shows a secret that is set as { "set": true } and leaves out one that is not. On PATCH, a secret left out (or sent back as { "set": true }) keeps its stored value; null removes one (a required secret is then refused as missing).';

/** A kind's config schema, its secrets marked write-only. */
function documentedConfig(info: ChannelKindInfo): TSchema {
  if (info.secrets.length === 0) return info.config;
  const config = info.config as TSchema & { properties?: Record<string, TSchema>; description?: string };
  const properties = Object.fromEntries(
    Object.entries((config.properties ?? {}) as Record<string, TSchema & { description?: string }>).map(([field, schema]) => [
      field,
      info.secrets.includes(field)
        ? { ...schema, writeOnly: true, description: `${schema.description ?? ''} ${SECRET_NOTE}`.trim() }
        : schema,
    ]),
  );
  return { ...config, properties } as TSchema;
}

const attachToAllChecks = Type.Optional(
  Type.Boolean({
    default: true,
    description:
      'also make every existing check of the project alert this channel, so none is left alerting nobody; false: attach it to checks yourself (their `channels`). Checks created later without `channels` get every channel anyway. Default: true',
  }),
);

/** `POST /channels`: a channel of one of the kinds, told apart by `kind`. */
export const ChannelCreateBody = Type.Union(
  CHANNEL_KIND_INFO.map((info) =>
    Type.Object(
      {
        kind: Type.Literal(info.kind),
        name: ChannelName,
        config: documentedConfig(info),
        events: Type.Optional(ChannelEvents),
        attachToAllChecks,
      },
      { additionalProperties: false, title: `${info.title} channel` },
    ),
  ),
  { discriminator: { propertyName: 'kind' }, description: "A channel; `config` is its kind's settings" },
);

/** `PATCH /channels/{id}`: the kind stays, so `config` is the channel's own kind's. */
export const ChannelPatchBody = Type.Object(
  {
    name: Type.Optional(ChannelName),
    config: Type.Optional(
      Type.Union(
        CHANNEL_KIND_INFO.map((info) => ({ ...documentedConfig(info), title: `${info.title} config` })),
        { description: "The channel's whole config, in its kind's schema; replaces the stored one, secrets left out kept" },
      ),
    ),
    events: Type.Optional(ChannelEvents),
  },
  { additionalProperties: false, minProperties: 1 },
);

export interface ChannelCreateInput {
  kind: ChannelKind;
  name: string;
  config: unknown;
  events?: ChannelEvent[];
  attachToAllChecks?: boolean;
}
export interface ChannelPatchInput {
  name?: string;
  config?: unknown;
  events?: ChannelEvent[];
}

const FIELDS = { create: ['kind', 'name', 'config', 'events', 'attachToAllChecks'], patch: ['name', 'config', 'events'] } as const;

/**
 * Judges a create or patch body field by field, each refusal a FieldError
 * naming the field; `config` itself is judged by the kind (`channelConfig`).
 */
export function channelBody(mode: 'create' | 'patch', body: unknown): ChannelCreateInput | ChannelPatchInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new FieldError('body', 'must be a JSON object');
  const input = body as Record<string, unknown>;
  const known: readonly string[] = FIELDS[mode];
  const unknown = Object.keys(input).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new FieldError(unknown, `is not a known field (known: ${known.join(', ')})`);
  if (mode === 'create') {
    if (input.kind === undefined) throw new FieldError('kind', 'is required');
    if (typeof input.kind !== 'string' || !(CHANNEL_KINDS as readonly string[]).includes(input.kind))
      throw new FieldError('kind', `must be one of ${CHANNEL_KINDS.join(', ')}`);
    if (input.name === undefined) throw new FieldError('name', 'is required');
    if (input.config === undefined) throw new FieldError('config', 'is required');
    if (input.attachToAllChecks !== undefined && typeof input.attachToAllChecks !== 'boolean')
      throw new FieldError('attachToAllChecks', 'must be boolean');
  } else if (Object.keys(input).length === 0) {
    throw new FieldError('body', `must change something: ${known.join(', ')}`);
  }
  if (input.name !== undefined) {
    if (typeof input.name !== 'string') throw new FieldError('name', 'must be string');
    if (input.name.length < 1) throw new FieldError('name', 'must NOT have fewer than 1 characters');
    if (input.name.length > 100) throw new FieldError('name', 'must NOT have more than 100 characters');
  }
  if (input.events !== undefined) {
    const events = input.events;
    if (!Array.isArray(events)) throw new FieldError('events', `must be a list of ${CHANNEL_EVENTS.join(', ')}`);
    const wrong = events.findIndex((event) => !(CHANNEL_EVENTS as readonly unknown[]).includes(event));
    if (wrong >= 0) throw new FieldError(`events.${wrong}`, `must be one of ${CHANNEL_EVENTS.join(', ')}`);
    if (new Set(events).size !== events.length) throw new FieldError('events', 'must not name an event twice');
  }
  return input as unknown as ChannelCreateInput | ChannelPatchInput;
}

/**
 * The channel routes' validator: bodies by `channelBody`, path parameters
 * by their TypeBox schema (errors in Ajv's shape, so they read as
 * everywhere else: `params.id: must match format "uuid"`).
 */
export const channelValidator =
  (mode: 'create' | 'patch'): FastifySchemaCompiler<TSchema> =>
  ({ schema, httpPart }) => {
    if (httpPart === 'body') {
      return (data: unknown) => {
        try {
          return { value: channelBody(mode, data) };
        } catch (error) {
          return { error: error as Error };
        }
      };
    }
    const check = Compile(schema);
    return (data: unknown) => (check.Check(data) ? { value: data } : { error: [...check.Errors(data)] as never });
  };
