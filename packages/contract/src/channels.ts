import { type Static, Type } from 'typebox';
import { NullableTimestamp, oneOf, Timestamp, Uuid } from './common';
import { CHANNEL_EVENTS, CHANNEL_KINDS } from './values';

export const ChannelKind = oneOf(CHANNEL_KINDS);
/**
 * A channel's config: its kind's schema, owned by packages/notify. The
 * server publishes the kinds' schemas in OpenAPI as one union by `kind`
 * (it builds the channel routes' bodies from notify's list of kinds); the
 * contract, which may not import notify, says only that it is an object.
 */
export const ChannelConfig = Type.Record(Type.String(), Type.Unknown(), {
  description:
    "The settings of the channel's kind (see the kinds' schemas on POST /channels). Secrets (tokens, keys, the webhook's signing secret) are write-only: a secret that is set is shown as { \"set\": true }, one that is not set is left out.",
});
export const ChannelName = Type.String({ minLength: 1, maxLength: 100 });
export const ChannelEvent = oneOf(CHANNEL_EVENTS);
export const ChannelEvents = Type.Array(ChannelEvent, {
  uniqueItems: true,
  maxItems: CHANNEL_EVENTS.length,
  description:
    'The events the channel is sent: down (a check went down), up (it came back), late (it is late, for checks that alert on late), still_down (a reminder). [] sends nothing. Default: all of them, except late for pagerduty and opsgenie (they open no incident for it, and no recovery would close one)',
});

export const Channel = Type.Object({
  id: Uuid,
  kind: ChannelKind,
  name: Type.String(),
  /** Absent for read-only callers: it holds webhook URLs and secrets. */
  config: Type.Optional(ChannelConfig),
  events: ChannelEvents,
  createdAt: Timestamp,
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastErrorAt: NullableTimestamp,
  lastDeliveredAt: NullableTimestamp,
});
/** `GET /channels`: every channel of the project. */
export const ChannelList = Type.Object({ channels: Type.Array(Channel) });

export const ChannelCreate = Type.Object(
  {
    kind: ChannelKind,
    name: ChannelName,
    config: ChannelConfig,
    events: Type.Optional(ChannelEvents),
    attachToAllChecks: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'also make every existing check of the project alert this channel, so none is left alerting nobody; false: attach it to checks yourself (their `channels`). Checks created later without `channels` get every channel anyway. Default: true',
      }),
    ),
  },
  { additionalProperties: false },
);
export const ChannelPatch = Type.Object(
  { name: Type.Optional(ChannelName), config: Type.Optional(ChannelConfig), events: Type.Optional(ChannelEvents) },
  { additionalProperties: false, minProperties: 1 },
);

export const ChannelTestResult = Type.Object({
  delivered: Type.Boolean(),
  error: Type.Union([Type.String(), Type.Null()]),
  permanent: Type.Union([Type.Boolean(), Type.Null()], { description: 'whether retrying could help, when it failed' }),
});

export type ChannelKind = Static<typeof ChannelKind>;
export type ChannelEvent = Static<typeof ChannelEvent>;
export type Channel = Static<typeof Channel>;
export type ChannelList = Static<typeof ChannelList>;
export type ChannelCreate = Static<typeof ChannelCreate>;
export type ChannelPatch = Static<typeof ChannelPatch>;
export type ChannelTestResult = Static<typeof ChannelTestResult>;
