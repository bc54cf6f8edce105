import { randomUUID } from 'node:crypto';
import type { ChannelKind } from '@cronbeat/db';
import { type Alert, ChannelConfigError, DeliveryError, type Notifier, parseChannelConfig, statusLine } from '@cronbeat/notify';
import { FieldError } from '../../../errors';

/** A channel's config as its kind accepts it; a 400 naming the field otherwise. The rules belong to packages/notify. */
export function channelConfig(kind: ChannelKind, input: unknown): Record<string, unknown> {
  try {
    return { ...parseChannelConfig(kind, input) };
  } catch (error) {
    if (error instanceof ChannelConfigError)
      throw new FieldError(error.field.startsWith('config') ? error.field : `config.${error.field}`, error.message);
    throw error;
  }
}

/**
 * Sends a made-up "down" alert so people can see that a channel works before
 * a job fails. A failure says only what the channel's DeliveryError says: the
 * status code and a short reason in our words, never the target's answer.
 */
export async function sendTestAlert(
  notifier: Notifier,
  channel: { kind: ChannelKind; config: unknown; name: string },
  context: { baseUrl: string; now: Date },
): Promise<{ delivered: boolean; error: string | null; permanent: boolean | null }> {
  const alert: Alert = {
    deliveryId: randomUUID(),
    check: {
      id: '00000000-0000-0000-0000-000000000000',
      name: `Test alert for channel "${channel.name}"`,
      slug: null,
      projectName: 'Cronbeat',
      schedule: { kind: 'period', period: 86_400 },
      grace: 3_600,
      maxRuntime: null,
      lastPing: null,
      lastStart: null,
      url: context.baseUrl,
    },
    flip: { id: 0, from: 'up', to: 'down', reason: 'missed', at: context.now, exitStatus: null },
    ping: null,
    downSince: context.now,
    reminderAt: null,
  };
  try {
    await notifier.send(channel, alert);
    return { delivered: true, error: null, permanent: null };
  } catch (error) {
    if (error instanceof DeliveryError) return { delivered: false, error: error.message, permanent: error.permanent };
    throw error;
  }
}

/**
 * A channel's last error as people may see it. Errors are written as a
 * status and a short reason now; ones stored before that (`webhook: HTTP 500
 * <up to 1,000 characters of the target's body>`) are cut back to the
 * status, so no target's answer reaches the API.
 */
export function shownError(lastError: string | null): string | null {
  const legacy = lastError?.match(/^(webhook|Slack): HTTP (\d{3})\b/);
  return legacy ? `${legacy[1]}: ${statusLine(Number(legacy[2]))}` : lastError;
}
