import { type Static, Type } from 'typebox';
import { NullableTimestamp, oneOf, Timestamp, Uuid } from './common';
import { CHANNEL_KINDS } from './values';

export const ChannelKind = oneOf(CHANNEL_KINDS);
const ChannelConfig = Type.Record(Type.String(), Type.Unknown(), {
  description: 'email: { to }; slack: { url }; webhook: { url, secret? } — checked by the channel kind',
});
const ChannelName = Type.String({ minLength: 1, maxLength: 100 });

export const Channel = Type.Object({
  id: Uuid,
  kind: ChannelKind,
  name: Type.String(),
  /** Absent for read-only callers: it holds webhook URLs and secrets. */
  config: Type.Optional(ChannelConfig),
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
  { name: Type.Optional(ChannelName), config: Type.Optional(ChannelConfig) },
  { additionalProperties: false, minProperties: 1 },
);

export const ChannelTestResult = Type.Object({
  delivered: Type.Boolean(),
  error: Type.Union([Type.String(), Type.Null()]),
  permanent: Type.Union([Type.Boolean(), Type.Null()], { description: 'whether retrying could help, when it failed' }),
});

export type ChannelKind = Static<typeof ChannelKind>;
export type Channel = Static<typeof Channel>;
export type ChannelList = Static<typeof ChannelList>;
export type ChannelCreate = Static<typeof ChannelCreate>;
export type ChannelPatch = Static<typeof ChannelPatch>;
export type ChannelTestResult = Static<typeof ChannelTestResult>;
