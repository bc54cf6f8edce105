import { authErrors, ChannelEvent } from '@cronbeat/contract';
import { CHANNEL_KIND_INFO } from '@cronbeat/notify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

const ChannelKindList = Type.Object(
  {
    kinds: Type.Array(
      Type.Object({
        kind: Type.String({ description: 'The value of a channel’s `kind`' }),
        title: Type.String({ description: 'What people call the kind' }),
        secrets: Type.Array(Type.String(), {
          description: 'Config fields that are write-only: answers show them as { "set": true } or leave them out',
        }),
        defaultEvents: Type.Array(ChannelEvent, {
          description: 'The events a new channel of the kind is sent when its `events` are not given',
        }),
        schema: Type.Unknown({ description: 'The JSON Schema of the kind’s `config`' }),
      }),
    ),
  },
  { description: 'Every channel kind with what its config takes and the events it is sent by default, so a client can draw a form for it' },
);

/** Built once: the kinds are fixed when the server starts. */
const kinds = CHANNEL_KIND_INFO.map((info) => ({
  kind: info.kind,
  title: info.title,
  secrets: [...info.secrets],
  defaultEvents: [...info.defaultEvents],
  schema: info.config,
}));

/** The channel kinds and their config schemas; the dashboard's channel form is drawn from this. */
export async function channelKindRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/channel-kinds',
    {
      schema: {
        tags: ['channels'],
        summary: 'Every channel kind with its config’s JSON Schema and write-only fields',
        response: { 200: ChannelKindList, ...authErrors },
      },
    },
    async () => ({ kinds }),
  );
}
