/**
 * Delivery: the `notifications` row is the queue item. A worker claims due
 * rows (`claimDeliveries`: FOR UPDATE SKIP LOCKED, with a lease), sends each,
 * and records the outcome; after a failure the retry policy (core's
 * `nextAttemptAt`) sets the next attempt's time on the row, or ends it.
 * The claim counts the attempt and commits before the request goes out; only
 * a worker that dies mid-send lets a second one send again after the lease,
 * and that repeat carries the same idempotency key (the notification id).
 */
import { nextAttemptAt, type RetryPolicy } from '@cronbeat/core';
import { claimDeliveries, type Db, type Delivery, type DeliveryAttempt, recordDeliveryAttempts } from '@cronbeat/db';
import { DeliveryError, type Notifier, type SendReceipt } from '@cronbeat/notify';
import { alertOf } from './alert';

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
  retry: RetryPolicy;
  /** Records an attempt's outcome; the worker groups them (`outcomeRecorder`). Default: one statement each. */
  record?: (attempt: DeliveryAttempt) => Promise<void>;
}

/** What became of one attempt: sent, to be tried again later, or failed for good. */
export type AttemptResult = 'sent' | 'retry' | 'failed';

/** Claims up to `limit` due notifications for this worker. */
export function claimDue(context: DeliverContext, limit: number): Promise<Delivery[]> {
  return claimDeliveries(context.db, limit, context.leaseMs);
}

/** Sends one claimed notification and records the attempt; never rejects for a failed send. */
export async function deliver(context: DeliverContext, delivery: Delivery): Promise<AttemptResult> {
  const { notification } = delivery;
  const target = { id: notification.id, channelId: delivery.channel.id, attempt: notification.attempts };
  const record = context.record ?? ((attempt: DeliveryAttempt) => recordDeliveryAttempts(context.db, [attempt]));
  let receipt: SendReceipt;
  try {
    receipt = await context.notifier.send(delivery.channel, alertOf(delivery, context.baseUrl));
  } catch (error) {
    const failure = error instanceof DeliveryError ? error : new DeliveryError('the delivery failed unexpectedly', false, { cause: error });
    const at = new Date();
    // A receiver that said how long to wait (429 Retry-After) is not asked again sooner.
    const next = nextAttemptAt(context.retry, {
      attempts: notification.attempts,
      at,
      permanent: failure.permanent,
      retryAfterMs: failure.retryAfterMs,
    });
    // Channels word their failures themselves: a status and a short reason, never the target's answer.
    await record({
      ...target,
      outcome: {
        ok: false,
        at,
        error: failure.message.slice(0, 300),
        nextAttemptAt: next,
        statusCode: failure.statusCode,
        reply: failure.reply,
      },
    });
    return next ? 'retry' : 'failed';
  }
  await record({ ...target, outcome: { ok: true, at: new Date(), statusCode: receipt.statusCode, reply: receipt.reply } });
  return 'sent';
}

/** Claims and sends up to `limit` due notifications, all at once; resolves once every outcome is recorded. */
export async function deliverDue(context: DeliverContext, limit: number): Promise<Record<AttemptResult, number>> {
  const results = await Promise.all((await claimDue(context, limit)).map((delivery) => deliver(context, delivery)));
  const count = (result: AttemptResult) => results.filter((each) => each === result).length;
  return { sent: count('sent'), retry: count('retry'), failed: count('failed') };
}
