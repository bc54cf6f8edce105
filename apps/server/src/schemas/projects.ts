import { Type } from 'typebox';
import { Role } from './auth';
import { Timestamp, Uuid } from './common';

const ProjectName = Type.String({ minLength: 1, maxLength: 100 });

export const Project = Type.Object({
  id: Uuid,
  name: Type.String(),
  role: Role,
  /** Only admins and owners see it: it lets anyone report jobs by slug. */
  pingKey: Type.Optional(Type.String()),
  pingUrl: Type.Optional(Type.String({ description: 'prefix of slug ping URLs: <pingUrl>/<slug>' })),
  defaultPeriod: Type.Integer(),
  defaultGrace: Type.Integer(),
  autoCreateLimit: Type.Integer({ description: 'most checks ?create=1 pings may make in the project (the API is not limited by it)' }),
  autoCreateAttachChannels: Type.Boolean({ description: 'whether a check made by a ?create=1 ping alerts every channel of the project' }),
  createdAt: Timestamp,
});

export const ProjectCreate = Type.Object({ name: ProjectName }, { additionalProperties: false });
export const ProjectPatch = Type.Object(
  {
    name: Type.Optional(ProjectName),
    defaultPeriod: Type.Optional(Type.Integer({ minimum: 60, maximum: 31_536_000 })),
    defaultGrace: Type.Optional(Type.Integer({ minimum: 60, maximum: 31_536_000 })),
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
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Member = Type.Object({ userId: Uuid, email: Type.String(), role: Role, createdAt: Timestamp });
export const MemberParams = Type.Object({ projectId: Uuid, userId: Uuid });
export const RoleChange = Type.Object({ role: Role }, { additionalProperties: false });

export const ApiKeyAccess = Type.Union([Type.Literal('read-write'), Type.Literal('read-only')]);
export const ApiKey = Type.Object({
  id: Uuid,
  name: Type.String(),
  access: ApiKeyAccess,
  /** The first characters, to tell keys apart; the key itself is shown once. */
  prefix: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
});
export const NewApiKey = Type.Object({ ...ApiKey.properties, key: Type.String({ description: 'the key; shown only in this answer' }) });
export const ApiKeyCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), access: ApiKeyAccess },
  { additionalProperties: false },
);
export const ApiKeyParams = Type.Object({ projectId: Uuid, keyId: Uuid });
