import { type Static, Type } from 'typebox';
import { Role } from './auth';
import { oneOf, ProjectParams, Timestamp, Uuid } from './common';
import { API_KEY_ACCESS, SCHEDULE_LIMITS } from './values';

const ProjectName = Type.String({ minLength: 1, maxLength: 100 });

export const Project = Type.Object({
  id: Uuid,
  name: Type.String(),
  role: Role,
  pingKey: Type.Optional(Type.String({ description: 'the key of slug ping URLs; only admins and owners see it' })),
  pingUrl: Type.Optional(Type.String({ description: 'prefix of slug ping URLs (<PING_BASE_URL>/<pingKey>): <pingUrl>/<slug>' })),
  sentryDsn: Type.Optional(
    Type.String({
      description:
        'the DSN a Sentry SDK sends check-ins with (http(s)://<sentry-key>@<host>/<sentry-ref>); a secret, seen by those who see the ping key',
    }),
  ),
  defaultPeriod: Type.Integer(),
  defaultGrace: Type.Integer(),
  autoCreateLimit: Type.Integer({ description: 'most checks ?create=1 pings may make in the project (the API is not limited by it)' }),
  autoCreateAttachChannels: Type.Boolean({ description: 'whether a check made by a ?create=1 ping alerts every channel of the project' }),
  groupAlertsAbove: Type.Union([Type.Integer(), Type.Null()], {
    description: 'more checks going down in one sweep pass than this are told in one email or Slack message; null: never grouped',
  }),
  createdAt: Timestamp,
});
export const ProjectList = Type.Object({ projects: Type.Array(Project) });

export const ProjectCreate = Type.Object({ name: ProjectName }, { additionalProperties: false });
const ScheduleSeconds = Type.Integer({ minimum: SCHEDULE_LIMITS.min, maximum: SCHEDULE_LIMITS.max });
export const ProjectPatch = Type.Object(
  {
    name: Type.Optional(ProjectName),
    defaultPeriod: Type.Optional(ScheduleSeconds),
    defaultGrace: Type.Optional(ScheduleSeconds),
    autoCreateLimit: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1_000_000,
        description: 'most checks ?create=1 pings may make in the project; 0 turns ?create=1 off. Default: 1000',
      }),
    ),
    autoCreateAttachChannels: Type.Optional(
      Type.Boolean({ description: 'a check made by a ?create=1 ping alerts every channel of the project (else none). Default: true' }),
    ),
    groupAlertsAbove: Type.Optional(
      // One schema with a type list, not a union: Ajv's coercion would turn 0 into null through a union.
      Type.Unsafe<number | null>({
        type: ['integer', 'null'],
        minimum: 1,
        maximum: 1000,
        description:
          'more checks going down in one sweep pass than this (1 … 1000) are told in one email or Slack message listing them; webhooks still get one event each; null: never grouped. Default: 5',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Member = Type.Object({ userId: Uuid, email: Type.String(), role: Role, createdAt: Timestamp });
export const MemberList = Type.Object({ members: Type.Array(Member) });
export const MemberParams = Type.Object({ ...ProjectParams.properties, userId: Uuid });
export const RoleChange = Type.Object({ role: Role }, { additionalProperties: false });

export const ApiKeyAccess = oneOf(API_KEY_ACCESS);
export const ApiKey = Type.Object({
  id: Uuid,
  name: Type.String(),
  access: ApiKeyAccess,
  prefix: Type.String({ description: 'the first characters, to tell keys apart; the key itself is shown once' }),
  createdAt: Timestamp,
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
});
export const ApiKeyList = Type.Object({ apiKeys: Type.Array(ApiKey) });
export const NewApiKey = Type.Object({ ...ApiKey.properties, key: Type.String({ description: 'the key; shown only in this answer' }) });
export const ApiKeyCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), access: ApiKeyAccess },
  { additionalProperties: false },
);
export const ApiKeyParams = Type.Object({ ...ProjectParams.properties, keyId: Uuid });

export type ApiKeyAccess = Static<typeof ApiKeyAccess>;
export type Project = Static<typeof Project>;
export type ProjectList = Static<typeof ProjectList>;
export type ProjectCreate = Static<typeof ProjectCreate>;
export type ProjectPatch = Static<typeof ProjectPatch>;
export type Member = Static<typeof Member>;
export type MemberList = Static<typeof MemberList>;
export type RoleChange = Static<typeof RoleChange>;
export type ApiKey = Static<typeof ApiKey>;
export type ApiKeyList = Static<typeof ApiKeyList>;
export type NewApiKey = Static<typeof NewApiKey>;
export type ApiKeyCreate = Static<typeof ApiKeyCreate>;
