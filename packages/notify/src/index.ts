export { alertHtml, alertText } from './alert-email';
export {
  CHANNEL_KIND_INFO,
  type ChannelConfig,
  type ChannelKindInfo,
  createNotifier,
  defaultEvents,
  type Notifier,
  parseChannelConfig,
  type SendOptions,
  secretFields,
} from './channels';
export { type EmailConfig, parseEmailConfig } from './email';
export { escapeHtml } from './email-layout';
export {
  createNetworkGuard,
  type GuardOptions,
  MAX_RESPONSE_BYTES,
  type NetworkGuard,
  type OutboundRequest,
  type OutboundResponse,
  statusLine,
  TargetRefused,
} from './guard';
export { type InvitationEmail, invitationHtml, invitationText } from './invitation';
export {
  alertEvent,
  alertFacts,
  alertSubject,
  BODY_TAIL_BYTES,
  FAILED_RUNS_TITLE,
  failedRunLines,
  formatDuration,
  quotedOutput,
  tail,
} from './message';
export { alertNotes, dependentsPhrase, type GroupLine, groupLines, heldPhrase } from './notes';
export { type Report, reportHtml, reportSubject, reportText } from './report';
export { failedRunPhrase, formatRunDuration } from './runs';
export { escapeSlack, parseSlackConfig, type SlackConfig, slackMessage } from './slack';
export {
  type Alert,
  ChannelConfigError,
  type ChannelKind,
  DeliveryError,
  type DependencyParent,
  type DownDependent,
  type GroupedCheck,
  type NotifyEnv,
  type SendReceipt,
} from './types';
export {
  IDEMPOTENCY_HEADERS,
  parseWebhookConfig,
  SIGNATURE_HEADER,
  signBody,
  type WebhookConfig,
  type WebhookFailedRun,
  type WebhookFlipRuns,
  type WebhookPayload,
  webhookPayload,
} from './webhook';
