import { authErrors, Channel, ChannelList, ChannelTestResult, IdParams } from '@cronbeat/contract';
import { type ChannelRow, createChannel, deleteChannel, getChannel, listChannels, updateChannel } from '@cronbeat/db';
import { defaultEvents, type Notifier } from '@cronbeat/notify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { accessOf } from '../../../auth/access';
import { NotFound } from '../../../errors';
import { iso, isoOrNull } from '../../../schemas/common';
import { channelConfig, sendTestAlert, shownConfig, shownError, withKeptSecrets } from './delivery';
import { ChannelCreateBody, type ChannelCreateInput, ChannelPatchBody, type ChannelPatchInput, channelValidator } from './schemas';

const tags = ['channels'];
const write = { permission: 'write' } as const;

/** Channels are fully manageable here, so people can declare them in code. */
export async function channelRoutes(fastify: FastifyInstance, options: { notifier: Notifier }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  const view = (request: FastifyRequest, row: ChannelRow | null) => {
    if (!row) throw new NotFound('Channel');
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      ...(accessOf(request).seesSecrets && { config: shownConfig(row.kind, row.config) }),
      events: row.events,
      createdAt: iso(row.createdAt),
      lastError: shownError(row.lastError),
      lastErrorAt: isoOrNull(row.lastErrorAt),
      lastDeliveredAt: isoOrNull(row.lastDeliveredAt),
    };
  };

  app.get(
    '/channels',
    {
      schema: { tags, summary: "The project's channels", response: { 200: ChannelList, ...authErrors } },
    },
    async (request) => ({ channels: (await listChannels(app.db, accessOf(request).projectId)).map((row) => view(request, row)) }),
  );

  app.post(
    '/channels',
    {
      config: write,
      schema: {
        tags,
        summary: 'Create a channel (by default every existing check alerts it too)',
        body: ChannelCreateBody,
        response: { 201: Channel, ...authErrors },
      },
      validatorCompiler: channelValidator('create'),
    },
    async (request, reply) => {
      const { kind, name, config, events, attachToAllChecks = true } = request.body as ChannelCreateInput;
      const projectId = accessOf(request).projectId;
      const row = await createChannel(app.db, {
        projectId,
        kind,
        name,
        config: channelConfig(kind, config),
        events: events ?? [...defaultEvents(kind)],
        attachToAllChecks,
      });
      return reply.status(201).send(view(request, row));
    },
  );

  app.get(
    '/channels/:id',
    { schema: { tags, summary: 'A channel', params: IdParams, response: { 200: Channel, ...authErrors } } },
    async (request) => view(request, await getChannel(app.db, accessOf(request).projectId, request.params.id)),
  );

  app.patch(
    '/channels/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Rename a channel, replace its config (secrets left out are kept) or choose its events',
        params: IdParams,
        body: ChannelPatchBody,
        response: { 200: Channel, ...authErrors },
      },
      validatorCompiler: channelValidator('patch'),
    },
    async (request) => {
      const { projectId } = accessOf(request);
      const current = await getChannel(app.db, projectId, request.params.id);
      if (!current) throw new NotFound('Channel');
      const { name, config, events } = request.body as ChannelPatchInput;
      const changes = {
        ...(name !== undefined && { name }),
        ...(config !== undefined && { config: channelConfig(current.kind, withKeptSecrets(current.kind, config, current.config)) }),
        ...(events !== undefined && { events }),
      };
      return view(request, await updateChannel(app.db, projectId, current.id, changes));
    },
  );

  app.delete(
    '/channels/:id',
    { config: write, schema: { tags, summary: 'Delete a channel', params: IdParams, response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      if (!(await deleteChannel(app.db, accessOf(request).projectId, request.params.id))) throw new NotFound('Channel');
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/channels/:id/test',
    {
      config: write,
      schema: {
        tags,
        summary: 'Send a test alert now and report what happened',
        params: IdParams,
        response: { 200: ChannelTestResult, ...authErrors },
      },
    },
    async (request) => {
      const channel = await getChannel(app.db, accessOf(request).projectId, request.params.id);
      if (!channel) throw new NotFound('Channel');
      return sendTestAlert(options.notifier, channel, { baseUrl: app.accounts.baseUrl, now: new Date() });
    },
  );
}
