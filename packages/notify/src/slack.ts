/** Slack alerts: a Block Kit message to an incoming webhook. */
import { IncomingWebhook, IncomingWebhookHTTPError } from '@slack/webhook';
import { httpUrl, objectOf } from './config-fields';
import { alertFacts, alertSubject, quotedOutput } from './message';
import { type Alert, DeliveryError, isTransientHttpStatus } from './types';

export interface SlackConfig {
  /** The incoming webhook URL Slack gave. */
  url: string;
}

export function parseSlackConfig(input: unknown): SlackConfig {
  return { url: httpUrl(objectOf(input).url, 'url') };
}

/** Slack caps a section's text at 3,000 characters; stay well inside it. */
const MAX_CODE_BLOCK = 2500;

/** The Block Kit payload: header, facts as fields, the job's output, a link. */
export function slackMessage(alert: Alert) {
  const subject = alertSubject(alert);
  const fields = alertFacts(alert).map(([label, value]) => ({ type: 'mrkdwn' as const, text: `*${label}*\n${value}` }));
  const output = quotedOutput(alert);
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: subject.slice(0, 150) } },
    // A section holds at most 10 fields.
    ...chunk(fields, 10).map((group) => ({ type: 'section', fields: group })),
  ];
  if (output) {
    const text = output.length > MAX_CODE_BLOCK ? output.slice(output.length - MAX_CODE_BLOCK) : output;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${text.replaceAll('```', "'''")}\`\`\`` } });
  }
  blocks.push({
    type: 'actions',
    elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open check' }, url: alert.check.url }],
  });
  return { text: subject, blocks };
}

function chunk<T>(items: T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

export async function sendSlack(config: SlackConfig, alert: Alert, timeoutMs: number): Promise<void> {
  const webhook = new IncomingWebhook(config.url, { timeout: timeoutMs });
  try {
    await webhook.send(slackMessage(alert) as never);
  } catch (error) {
    // Slack answers 403 invalid_token, 404 no_service, 410 channel_is_archived: those never heal.
    if (error instanceof IncomingWebhookHTTPError) {
      throw new DeliveryError(`Slack: HTTP ${error.statusCode} ${error.body}`.trim(), !isTransientHttpStatus(error.statusCode), {
        cause: error,
      });
    }
    throw new DeliveryError(`Slack: ${(error as Error).message}`, false, { cause: error });
  }
}
