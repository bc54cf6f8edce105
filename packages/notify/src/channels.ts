/** One send() for every channel kind, the registry of kinds, and the config validation each kind owns. */
import { CHANNEL_EVENTS, CHANNEL_KINDS, type ChannelEvent } from '@cronbeat/core';
import type { TSchema } from 'typebox';
import { EmailConfigSchema, parseWithSchema, SlackConfigSchema, WebhookConfigSchema } from './config-schema';
import { createMailer, type EmailConfig, parseEmailConfig, sendEmail, sendInvitationEmail, sendReportEmail } from './email';
import { createNetworkGuard, type NetworkGuard } from './guard';
import type { InvitationEmail } from './invitation';
import { discordKind } from './kinds/discord';
import { googleChatKind } from './kinds/google-chat';
import { gotifyKind } from './kinds/gotify';
import type { ChannelKindModule } from './kinds/kind';
import { matrixKind } from './kinds/matrix';
import { mattermostKind } from './kinds/mattermost';
import { ntfyKind } from './kinds/ntfy';
import { opsgenieKind } from './kinds/opsgenie';
import { pagerdutyKind } from './kinds/pagerduty';
import { pushoverKind } from './kinds/pushover';
import { rocketChatKind } from './kinds/rocket-chat';
import { teamsKind } from './kinds/teams';
import { telegramKind } from './kinds/telegram';
import { templatedWebhookKind } from './kinds/templated-webhook';
import { twilioSmsKind } from './kinds/twilio-sms';
import type { Report } from './report';
import { parseSlackConfig, type SlackConfig, sendSlack } from './slack';
import { type Alert, ChannelConfigError, type ChannelKind, DeliveryError, type NotifyEnv, type SendReceipt } from './types';
import { parseWebhookConfig, sendWebhook, type WebhookConfig } from './webhook';

export type ChannelConfig =
  | { kind: 'email'; config: EmailConfig }
  | { kind: 'slack'; config: SlackConfig }
  | { kind: 'webhook'; config: WebhookConfig }
  | { kind: ModuleKind; config: Record<string, unknown> };

/** The kinds Cronbeat had before kind modules: they keep their own parsers and senders. */
type BuiltInKind = 'email' | 'slack' | 'webhook';
type ModuleKind = Exclude<ChannelKind, BuiltInKind>;

/**
 * Every kind module, by its kind. Its type asks for one per kind of core's
 * CHANNEL_KINDS beyond the built-in three, so a kind listed there and not
 * registered here (or the reverse) does not compile.
 */
const MODULES: { readonly [Kind in ModuleKind]: ChannelKindModule } = {
  discord: discordKind,
  teams: teamsKind,
  'google-chat': googleChatKind,
  mattermost: mattermostKind,
  'rocket-chat': rocketChatKind,
  pagerduty: pagerdutyKind,
  opsgenie: opsgenieKind,
  ntfy: ntfyKind,
  telegram: telegramKind,
  pushover: pushoverKind,
  gotify: gotifyKind,
  matrix: matrixKind,
  'twilio-sms': twilioSmsKind,
  'templated-webhook': templatedWebhookKind,
};

/** What the API and the dashboard need to know of a kind. */
export interface ChannelKindInfo {
  kind: ChannelKind;
  /** Its name for people (`Microsoft Teams`). */
  title: string;
  /** Its config, as a TypeBox (JSON) schema. */
  config: TSchema;
  /** Config fields that are write-only: accepted, never shown back. */
  secrets: readonly string[];
  /** The events a new channel of the kind takes when none are named. */
  defaultEvents: readonly ChannelEvent[];
}

const BUILT_IN: { readonly [Kind in BuiltInKind]: ChannelKindInfo & { parse(input: unknown): ChannelConfig['config'] } } = {
  email: { kind: 'email', title: 'Email', config: EmailConfigSchema, secrets: [], defaultEvents: CHANNEL_EVENTS, parse: parseEmailConfig },
  // An incoming-webhook URL is a bearer secret (whoever holds it can post), like Discord's, Teams' and the other chat webhooks.
  slack: {
    kind: 'slack',
    title: 'Slack',
    config: SlackConfigSchema,
    secrets: ['url'],
    defaultEvents: CHANNEL_EVENTS,
    parse: parseSlackConfig,
  },
  webhook: {
    kind: 'webhook',
    title: 'Webhook',
    config: WebhookConfigSchema,
    secrets: ['secret'],
    defaultEvents: CHANNEL_EVENTS,
    parse: parseWebhookConfig,
  },
};

const isBuiltIn = (kind: string): kind is BuiltInKind => Object.hasOwn(BUILT_IN, kind);
const moduleOf = (kind: string): ChannelKindModule | undefined =>
  Object.hasOwn(MODULES, kind) ? (MODULES as Record<string, ChannelKindModule>)[kind] : undefined;

/** Every channel kind, in the order of core's CHANNEL_KINDS, with its config schema and secrets. */
export const CHANNEL_KIND_INFO: readonly ChannelKindInfo[] = CHANNEL_KINDS.map((kind): ChannelKindInfo => {
  if (isBuiltIn(kind)) {
    const { parse: _parse, ...info } = BUILT_IN[kind];
    return info;
  }
  const module = moduleOf(kind);
  if (!module || module.kind !== kind) throw new Error(`channel kind ${kind} has no module registered under its name`);
  return {
    kind,
    title: module.title,
    config: module.config,
    secrets: module.secrets,
    defaultEvents: module.defaultEvents ?? CHANNEL_EVENTS,
  };
});

/** The events a new channel of `kind` takes when its creator names none. */
export const defaultEvents = (kind: string): readonly ChannelEvent[] =>
  CHANNEL_KIND_INFO.find((info) => info.kind === kind)?.defaultEvents ?? CHANNEL_EVENTS;

/** The write-only fields of a kind's config (none for an unknown kind). */
export const secretFields = (kind: string): readonly string[] => CHANNEL_KIND_INFO.find((info) => info.kind === kind)?.secrets ?? [];

/** Validates what a person gave as a channel's config; throws ChannelConfigError saying what is wrong. */
export function parseChannelConfig(kind: ChannelKind, input: unknown): ChannelConfig['config'] {
  if (isBuiltIn(kind)) return BUILT_IN[kind].parse(input);
  const module = moduleOf(kind);
  if (!module) throw new ChannelConfigError('kind', `kind must be one of ${CHANNEL_KINDS.join(', ')}`);
  return parseWithSchema(module.config, module.title, input) as Record<string, unknown>;
}

export interface SendOptions {
  /** A "Send test" from the API: incident services close the test incident they open. Default: false. */
  test?: boolean;
}

export interface Notifier {
  /**
   * Delivers one alert to one channel. Resolves, with what the receiver
   * answered, when it accepted it; rejects with a DeliveryError whose
   * `permanent` says whether to retry.
   */
  send(channel: { kind: ChannelKind; config: unknown }, alert: Alert, options?: SendOptions): Promise<SendReceipt>;
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
    async send(channel, alert, options = {}) {
      let config: unknown;
      try {
        // Stored configs were validated on the way in; one that no longer parses will not start working.
        config = parseChannelConfig(channel.kind, channel.config);
      } catch (error) {
        throw new DeliveryError(`invalid channel config: ${(error as Error).message}`, true, { cause: error });
      }
      if (channel.kind === 'email') {
        return { statusCode: null, reply: await sendEmail(mailer.transport(), env.emailFrom, config as EmailConfig, alert) };
      }
      // The guard, seen through one that keeps the status of the send's last answer.
      let statusCode: number | null = null;
      const watched: NetworkGuard = {
        check: (url) => guard.check(url),
        request: async (url, init) => {
          const response = await guard.request(url, init);
          statusCode = response.status;
          return response;
        },
        close: () => {},
      };
      if (channel.kind === 'slack') await sendSlack(watched, config as SlackConfig, alert, timeoutMs);
      else if (channel.kind === 'webhook') await sendWebhook(watched, config as WebhookConfig, alert, timeoutMs);
      else {
        // parseChannelConfig refused every kind without a module.
        const module = moduleOf(channel.kind) as ChannelKindModule;
        const context = { guard: watched, timeoutMs };
        if (options.test && module.sendTest) await module.sendTest(context, config, alert);
        else await module.send(context, config, alert);
      }
      return { statusCode, reply: null };
    },
    sendReport: (to, report) => sendReportEmail(mailer.transport(), env.emailFrom, to, report),
    sendInvitation: (to, invitation) => sendInvitationEmail(mailer.transport(), env.emailFrom, to, invitation),
    close: () => {
      mailer.close();
      guard.close();
    },
  };
}
