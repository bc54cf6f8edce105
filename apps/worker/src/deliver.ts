/**
 * The deliver job: sends one notification and records the attempt. Idempotent
 * per notification id for any number of workers: it first claims the pending
 * row for a lease, so a notification already sent is skipped and one another
 * worker is sending is retried later, never sent twice at once. The claim
 * counts the attempt and commits before the request goes out; only a worker
 * that dies mid-send lets a second one send again after the lease, and that
 * repeat carries the same idempotency key (the notification id).
 */
import { claimDelivery, type Db, recordDeliveryAttempt } from '@cronbeat/db';
import { DeliveryError, type Notifier } from '@cronbeat/notify';
import { alertOf } from './alert';

/** The payload of a deliver job; its job id is the notification id too. */
export interface DeliverPayload {
  notificationId: string;
}

export interface DeliverContext {
  db: Db;
  notifier: Notifier;
  /** Public URL, for links in messages. */
  baseUrl: string;
  /**
   * Milliseconds a claim keeps other workers off a notification; must exceed
   * the longest send, or a worker that died mid-send delays its retry this long.
   */
  leaseMs: number;
}

/**
 * Resolves 'sent' or 'skipped'; rejects with a DeliveryError after recording
 * the failure. `finalAttempt` marks the notification failed if this one fails.
 */
export async function deliver(context: DeliverContext, payload: DeliverPayload, finalAttempt: boolean): Promise<'sent' | 'skipped'> {
  const claim = await claimDelivery(context.db, payload.notificationId, context.leaseMs);
  if (!claim.claimed) {
    if (claim.reason === 'done') return 'skipped';
    // Transient, so the driver retries once the other worker's attempt is recorded or its lease ran out.
    throw new DeliveryError('another worker is delivering this notification', false);
  }
  const delivery = claim.claimed;
  const target = { id: delivery.notification.id, channelId: delivery.channel.id };
  try {
    await context.notifier.send(delivery.channel, alertOf(delivery, context.baseUrl));
  } catch (error) {
    const failure = error instanceof DeliveryError ? error : new DeliveryError('the delivery failed unexpectedly', false, { cause: error });
    await recordDeliveryAttempt(context.db, target, {
      ok: false,
      at: new Date(),
      // Channels word their failures themselves: a status and a short reason, never the target's answer.
      error: failure.message.slice(0, 300),
      final: failure.permanent || finalAttempt,
    });
    throw failure;
  }
  await recordDeliveryAttempt(context.db, target, { ok: true, at: new Date() });
  return 'sent';
}
