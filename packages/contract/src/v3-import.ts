/**
 * Importing a Healthchecks project (`POST /api/v1/import/healthchecks`):
 * Cronbeat reads it through Healthchecks' Management API v3 and makes its
 * checks here with the same uuids (id and ping code) and slugs.
 */
import { type Static, Type } from 'typebox';
import { oneOf } from './common';

export const HealthchecksImportRequest = Type.Object(
  {
    from: Type.String({
      format: 'uri',
      pattern: '^https?://',
      maxLength: 500,
      description: 'the Healthchecks site, e.g. https://healthchecks.io (its /api/v3/ is read)',
    }),
    apiKey: Type.String({
      minLength: 1,
      maxLength: 200,
      description: "a read-write API key of the Healthchecks project: read-only keys do not reveal the checks' uuids",
    }),
    pingKey: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{16,64}$',
        description: "the Healthchecks project's ping key, to become this project's, so /ping/<ping-key>/<slug> URLs keep working",
      }),
    ),
    dryRun: Type.Optional(Type.Boolean({ description: 'only say what would happen. Default: false' })),
  },
  { additionalProperties: false },
);

export const HealthchecksImportedCheck = Type.Object({
  uuid: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  action: oneOf(['create', 'update', 'skip']),
  /** Why a check is skipped. */
  reason: Type.Optional(Type.String()),
});

export const HealthchecksImportResult = Type.Object({
  dryRun: Type.Boolean(),
  checks: Type.Array(HealthchecksImportedCheck),
  pingKey: oneOf(['set', 'unchanged', 'not given'], { description: 'what happens to the project ping key' }),
  integrations: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() }), {
    description: "Healthchecks' integrations, to recreate by hand: its API does not reveal their secrets",
  }),
});

export type HealthchecksImportRequest = Static<typeof HealthchecksImportRequest>;
export type HealthchecksImportedCheck = Static<typeof HealthchecksImportedCheck>;
export type HealthchecksImportResult = Static<typeof HealthchecksImportResult>;
