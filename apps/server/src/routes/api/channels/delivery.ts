import { randomUUID } from 'node:crypto';
import type { ChannelKind } from '@cronbeat/db';
import {
  type Alert,
  ChannelConfigError,
  DeliveryError,
  type Notifier,
  parseChannelConfig,
  secretFields,
  statusLine,
} from '@cronbeat/notify';
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

/** Whether a stored secret has a value worth saying is set. */
const isSet = (value: unknown): boolean => value !== undefined && value !== null && value !== '';
/** What a client that read a channel sends back for a secret it was shown as set. */
const isSetMarker = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Object.keys(value).length === 1 && (value as { set?: unknown }).set === true;

/**
 * A stored config as channel answers show it: every secret of the kind
 * that is set becomes `{ "set": true }`, one not set is left out. Secrets
 * are write-only; nothing else is hidden.
 */
export function shownConfig(kind: ChannelKind, config: Record<string, unknown>): Record<string, unknown> {
  const shown = { ...config };
  for (const field of secretFields(kind)) {
    if (isSet(shown[field])) shown[field] = { set: true };
    else delete shown[field];
  }
  return shown;
}

/**
 * A PATCH's config with the stored secrets it left out (or sent back as
 * `{ "set": true }`) kept: secrets are never shown, so a client cannot send
 * them again, and replacing a config must not lose them. `null` removes a
 * secret: it is left out of the config, which the kind then judges (an
 * optional one is gone, a required one is refused as missing), so every
 * kind's secrets clear alike whether or not their schema takes null.
 */
export function withKeptSecrets(kind: ChannelKind, input: unknown, stored: Record<string, unknown>): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const next: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const field of secretFields(kind)) {
    if (next[field] === null) delete next[field];
    else if (next[field] === undefined || isSetMarker(next[field])) {
      if (isSet(stored[field])) next[field] = stored[field];
      else delete next[field];
    }
  }
  return next;
}

/**
 * Sends a made-up "down" alert so people can see that a channel works before
 * a job fails (PagerDuty and Opsgenie open a test incident and close it). A failure says only what the channel's DeliveryError says: the
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
    // A test opens no incident that stays open: incident services close theirs at once.
    await notifier.send(channel, alert, { test: true });
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
