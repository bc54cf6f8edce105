/** One send() for every channel kind, and the config validation each kind owns. */
import { createMailer, type EmailConfig, parseEmailConfig, sendEmail, sendInvitationEmail, sendReportEmail } from './email';
import { createNetworkGuard } from './guard';
import type { InvitationEmail } from './invitation';
import type { Report } from './report';
import { parseSlackConfig, type SlackConfig, sendSlack } from './slack';
import { type Alert, ChannelConfigError, type ChannelKind, DeliveryError, type NotifyEnv } from './types';
import { parseWebhookConfig, sendWebhook, type WebhookConfig } from './webhook';

export type ChannelConfig =
  | { kind: 'email'; config: EmailConfig }
  | { kind: 'slack'; config: SlackConfig }
  | { kind: 'webhook'; config: WebhookConfig };

const parsers = { email: parseEmailConfig, slack: parseSlackConfig, webhook: parseWebhookConfig } as const;

/** Validates what a person gave as a channel's config; throws ChannelConfigError saying what is wrong. */
export function parseChannelConfig(kind: ChannelKind, input: unknown): ChannelConfig['config'] {
  const parse: ((input: unknown) => ChannelConfig['config']) | undefined = parsers[kind];
  if (!parse) throw new ChannelConfigError('kind', `kind must be one of ${Object.keys(parsers).join(', ')}`);
  return parse(input);
}

export interface Notifier {
  /**
   * Delivers one alert to one channel. Resolves when the receiver accepted it;
   * rejects with a DeliveryError whose `permanent` says whether to retry.
   */
  send(channel: { kind: ChannelKind; config: unknown }, alert: Alert): Promise<void>;
  /** Emails a summary report to one person; rejects like `send`. */
  sendReport(to: string, report: Report): Promise<void>;
  /** Emails an invitation's link to the invited address; rejects like `send`. */
  sendInvitation(to: string, invitation: InvitationEmail): Promise<void>;
  /** Closes pooled connections (SMTP, and the network guard's HTTP connections). */
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export function createNotifier(env: NotifyEnv): Notifier {
  const timeoutMs = env.httpTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const mailer = createMailer(env, timeoutMs);
  // Every HTTP request of every channel kind goes through this one guard.
  const guard = createNetworkGuard({ allowed: env.privateTargetsAllowed ?? [] });
  return {
    async send(channel, alert) {
      let config: unknown;
      try {
        // Stored configs were validated on the way in; one that no longer parses will not start working.
        config = parseChannelConfig(channel.kind, channel.config);
      } catch (error) {
        throw new DeliveryError(`invalid channel config: ${(error as Error).message}`, true, { cause: error });
      }
      switch (channel.kind) {
        case 'email':
          return sendEmail(mailer.transport(), env.emailFrom, config as EmailConfig, alert);
        case 'slack':
          return sendSlack(guard, config as SlackConfig, alert, timeoutMs);
        case 'webhook':
          return sendWebhook(guard, config as WebhookConfig, alert, timeoutMs);
      }
    },
    sendReport: (to, report) => sendReportEmail(mailer.transport(), env.emailFrom, to, report),
    sendInvitation: (to, invitation) => sendInvitationEmail(mailer.transport(), env.emailFrom, to, invitation),
    close: () => {
      mailer.close();
      guard.close();
    },
  };
}
