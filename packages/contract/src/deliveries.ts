import { type Static, Type } from 'typebox';
import { ChannelKind } from './channels';
import { IdParams, oneOf, Timestamp, Uuid } from './common';

/** What became of one attempt: sent; failed with another attempt to come (`retrying`); failed for good. */
export const DELIVERY_OUTCOMES = ['sent', 'retrying', 'failed'] as const;

/** One attempt to deliver a notification, as the delivery log keeps it. */
export const DeliveryAttempt = Type.Object({
  id: Type.Integer({ description: 'the attempt, growing with time; a page cursor' }),
  notificationId: Uuid,
  channel: Type.Object({ id: Uuid, name: Type.String(), kind: ChannelKind }),
  checkId: Uuid,
  flipId: Type.Integer({ description: 'the status change the notification tells' }),
  reminder: Type.Integer({ description: '0: the alert of the flip itself; n: the n-th still-down reminder' }),
  at: Timestamp,
  outcome: oneOf(DELIVERY_OUTCOMES),
  statusCode: Type.Union([Type.Integer(), Type.Null()], { description: "the receiver's HTTP status, when it answered one" }),
  reply: Type.Union([Type.String(), Type.Null()], { description: "the SMTP server's reply line, when it refused an email" }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'why it failed, in Cronbeat’s words; null when sent' }),
  nextAttemptAt: Type.Union([Timestamp, Type.Null()], { description: 'retrying: when the next attempt is due' }),
});

export const DeliveryQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Default: 50' })),
    before: Type.Optional(
      Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'cursor: the nextCursor of the previous page' }),
    ),
  },
  { additionalProperties: false },
);

/** `GET /channels/:id/deliveries`: a channel's attempts, newest first. */
export const DeliveryPage = Type.Object({
  deliveries: Type.Array(DeliveryAttempt),
  nextCursor: Type.Union([Type.Integer(), Type.Null()], { description: 'pass as "before" for older attempts; null at the end' }),
});

export const FlipParams = Type.Object({ ...IdParams.properties, flipId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

/** `GET /checks/:id/flips/:flipId/deliveries`: every attempt of the flip's notifications (alert and reminders), newest first. */
export const FlipDeliveries = Type.Object({ deliveries: Type.Array(DeliveryAttempt) });

export type DeliveryAttempt = Static<typeof DeliveryAttempt>;
export type DeliveryQuery = Static<typeof DeliveryQuery>;
export type DeliveryPage = Static<typeof DeliveryPage>;
export type FlipParams = Static<typeof FlipParams>;
export type FlipDeliveries = Static<typeof FlipDeliveries>;
