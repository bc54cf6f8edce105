import { PUBLIC_STATES, UPTIME_LIMITS } from '@cronbeat/core';
import { type Static, Type } from 'typebox';
import { NullableTimestamp, oneOf, Timestamp, Uuid } from './common';

const MAX_LISTED = 100;

/** Lower-case letters, digits and inner hyphens: it is a URL path segment anyone may type. */
export const StatusPageSlug = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]*[a-z0-9]$',
  minLength: 3,
  maxLength: 64,
  description: 'lower-case letters, digits and hyphens (not first or last), 3 … 64; unique across the server',
});
const Title = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description: 'not only spaces' });
const Description = Type.String({ maxLength: 1000 });
const Tag = Type.String({ pattern: '^\\S+$', minLength: 1, maxLength: 50, description: 'no spaces' });

/** The name a check shows on the page instead of its own, which the page then never shows. */
export const StatusPagePublicName = Type.Object(
  { check: Uuid, name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }) },
  { additionalProperties: false },
);

const fields = {
  description: Type.Optional(Description),
  checks: Type.Optional(Type.Array(Uuid, { maxItems: MAX_LISTED, uniqueItems: true, description: 'ids of checks of the project to list' })),
  tags: Type.Optional(
    Type.Array(Tag, { maxItems: MAX_LISTED, uniqueItems: true, description: 'checks with any of these tags are listed too' }),
  ),
  publicNames: Type.Optional(
    Type.Array(StatusPagePublicName, {
      maxItems: MAX_LISTED,
      description: 'names shown instead of the checks’ own; a listed check without one shows its own name',
    }),
  ),
};

export const StatusPage = Type.Object({
  id: Uuid,
  slug: Type.String(),
  /** Path of the public page; add `.json` for its JSON. */
  url: Type.String({ description: 'path of the public page, /status/<slug>; add .json for JSON' }),
  title: Type.String(),
  description: Type.String(),
  checks: Type.Array(Uuid),
  tags: Type.Array(Type.String()),
  publicNames: Type.Array(Type.Object({ check: Uuid, name: Type.String() })),
  createdAt: Timestamp,
});
export const StatusPageList = Type.Object({ statusPages: Type.Array(StatusPage) });

export const StatusPageCreate = Type.Object(
  { slug: Type.Optional(StatusPageSlug), title: Title, ...fields },
  { additionalProperties: false },
);
export const StatusPagePatch = Type.Object(
  { slug: Type.Optional(StatusPageSlug), title: Type.Optional(Title), ...fields },
  { additionalProperties: false, minProperties: 1 },
);

export const StatusPageParams = Type.Object({ projectId: Uuid, id: Uuid });

const PublicState = oneOf(PUBLIC_STATES, {
  description: 'late shows as degraded; a failing check inside a maintenance window as maintenance; a never-pinged one as pending',
});

/** `/status/<slug>.json`: what anyone may see; no ids, ping addresses, bodies or internal names. */
export const PublicStatusPage = Type.Object({
  title: Type.String(),
  description: Type.String(),
  state: oneOf(['up', 'degraded', 'down', 'maintenance'] as const, { description: 'the worst state of the checks' }),
  /** When this answer was computed; pages are cached for up to 30 seconds. */
  generatedAt: Timestamp,
  checks: Type.Array(
    Type.Object({
      name: Type.String(),
      state: PublicState,
      uptime: Type.Union([Type.Number(), Type.Null()], {
        description: `share of the last ${UPTIME_LIMITS.days} days not spent down, 0 … 1; null when never watched`,
      }),
      days: Type.Array(
        Type.Object({
          date: Type.String({ description: 'YYYY-MM-DD, UTC' }),
          uptime: Type.Union([Type.Number(), Type.Null()]),
          downSeconds: Type.Integer(),
        }),
        { description: `one entry per UTC day, oldest first, ${UPTIME_LIMITS.days} in all` },
      ),
    }),
  ),
  incidents: Type.Array(Type.Object({ check: Type.String(), start: Timestamp, end: NullableTimestamp, durationSeconds: Type.Integer() }), {
    description: 'down periods, newest first; end is null while ongoing',
  }),
});

export type StatusPage = Static<typeof StatusPage>;
export type StatusPageList = Static<typeof StatusPageList>;
export type StatusPageCreate = Static<typeof StatusPageCreate>;
export type StatusPagePatch = Static<typeof StatusPagePatch>;
export type PublicStatusPage = Static<typeof PublicStatusPage>;
