import type { Config } from '@cronbeat/config';
import { createNotifier } from '@cronbeat/notify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate, authorize } from '../../auth/authenticate';
import { refuseUnknownFields } from '../../schemas/strict-body';
import { healthchecksImportRoutes } from '../api-v3/import/route';
import { channelRoutes } from './channels';
import { deliveryLogRoutes } from './channels/deliveries';
import { channelKindRoutes } from './channels/kinds';
import { checkRoutes } from './checks';
import { acknowledgeRoutes } from './checks/acknowledge';
import { projectEventRoutes } from './checks/events';
import { historyRoutes } from './checks/history';
import { checkOverviewRoutes } from './checks/overview';
import { maintenanceRoutes } from './maintenance';
import { projectMetricsRoutes } from './metrics';
import { projectRoutes } from './projects';
import { apiKeyRoutes } from './projects/api-keys';
import { memberRoutes } from './projects/members';
import { statusRoutes } from './status';
import { statusPageApiRoutes } from './status-pages';

/** Counts requests per API key or per session, not per address: many jobs share one NAT. */
const callerOf = (request: FastifyRequest): string => {
  const principal = request.principal;
  if (principal?.kind === 'key') return `key:${principal.key.id}`;
  if (principal?.kind === 'session') return `session:${principal.tokenHash}`;
  return `ip:${request.ip}`;
};

/** /api/v1: everything needs an API key or a session, then the route's permission in the project. */
export async function apiRoutes(app: FastifyInstance, options: { config: Config }) {
  const notifier = createNotifier({
    smtpUrl: options.config.smtpUrl,
    emailFrom: options.config.emailFrom,
    privateTargetsAllowed: options.config.privateTargetsAllowed,
  });
  app.addHook('onClose', async () => notifier.close());

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (api) => {
    api.addHook('onRequest', authenticate);
    api.addHook('onRequest', api.rateLimit({ max: api.accounts.limits.apiPerMinute, timeWindow: 60_000, keyGenerator: callerOf }));
    api.addHook('onRequest', authorize);
    api.addHook('preValidation', refuseUnknownFields);
    await api.register(checkRoutes, { emailPingDomain: options.config.emailPings?.domain ?? null });
    await api.register(historyRoutes);
    await api.register(checkOverviewRoutes);
    await api.register(projectEventRoutes);
    await api.register(acknowledgeRoutes);
    await api.register(channelRoutes, { notifier });
    await api.register(deliveryLogRoutes);
    await api.register(channelKindRoutes);
    await api.register(maintenanceRoutes);
    await api.register(statusRoutes);
    await api.register(statusPageApiRoutes);
    await api.register(projectMetricsRoutes);
    await api.register(projectRoutes);
    await api.register(memberRoutes, { config: options.config, notifier });
    await api.register(apiKeyRoutes);
    await api.register(healthchecksImportRoutes, { config: options.config });
  });
}
