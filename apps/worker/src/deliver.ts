/**
 * The deliver job: sends one notification and records the attempt. Idempotent
 * per notification id: a notification that is no longer pending is skipped.
 */
import { type Db, loadDelivery, recordDeliveryAttempt } from '@cronbeat/db';
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
}

/**
 * Resolves 'sent' or 'skipped'; rejects with a DeliveryError after recording
 * the failure. `finalAttempt` marks the notification failed if this one fails.
 */
export async function deliver(context: DeliverContext, payload: DeliverPayload, finalAttempt: boolean): Promise<'sent' | 'skipped'> {
  const delivery = await loadDelivery(context.db, payload.notificationId);
  if (delivery?.notification.status !== 'pending') return 'skipped';
  const target = { id: delivery.notification.id, channelId: delivery.channel.id };
  try {
    await context.notifier.send(delivery.channel, alertOf(delivery, context.baseUrl));
  } catch (error) {
    const failure =
      error instanceof DeliveryError ? error : new DeliveryError((error as Error).message ?? String(error), false, { cause: error });
    await recordDeliveryAttempt(context.db, target, {
      ok: false,
      at: new Date(),
      error: failure.message.slice(0, 1000),
      final: failure.permanent || finalAttempt,
    });
    throw failure;
  }
  await recordDeliveryAttempt(context.db, target, { ok: true, at: new Date() });
  return 'sent';
}
