import { Type } from 'typebox';
import { NullableTimestamp, Timestamp, Uuid } from './common';

export const ChannelKind = Type.Union([Type.Literal('email'), Type.Literal('slack'), Type.Literal('webhook')]);
const ChannelConfig = Type.Record(Type.String(), Type.Unknown(), {
  description: 'email: { to }; slack: { url }; webhook: { url, secret? } — checked by the channel kind',
});
const ChannelName = Type.String({ minLength: 1, maxLength: 100 });

export const Channel = Type.Object({
  id: Uuid,
  kind: ChannelKind,
  name: Type.String(),
  /** Not shown to read-only callers: it holds webhook URLs and secrets. */
  config: Type.Optional(ChannelConfig),
  createdAt: Timestamp,
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastErrorAt: NullableTimestamp,
  lastDeliveredAt: NullableTimestamp,
});

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
  /** Whether retrying could help, when it failed. */
  permanent: Type.Union([Type.Boolean(), Type.Null()]),
});
