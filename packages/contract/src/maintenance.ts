import { MAINTENANCE_LIMITS } from '@cronbeat/core';
import { type Static, Type } from 'typebox';
import { oneOf, Timestamp, Uuid } from './common';

export const MAINTENANCE_KINDS = ['once', 'recurring'] as const;
export const MAINTENANCE_COVERS = ['project', 'tags', 'checks'] as const;

const { duration, once, name, targets } = MAINTENANCE_LIMITS;

export const MaintenanceKind = oneOf(MAINTENANCE_KINDS, {
  description: 'once: from startsAt to endsAt; recurring: for duration seconds from each time cron fires in tz',
});
export const MaintenanceCovers = oneOf(MAINTENANCE_COVERS, {
  description: 'project: every check of the project; tags: checks with any of tags; checks: the checks listed in checks',
});

const WindowName = Type.String({ minLength: name.min, maxLength: name.max, pattern: '\\S', description: 'not only spaces' });
const Tag = Type.String({ pattern: '^\\S+$', minLength: 1, maxLength: 50, description: 'no spaces' });

/** One stretch of maintenance: start ≤ t < end. */
export const MaintenanceSpan = Type.Object({ start: Timestamp, end: Timestamp });

/** An occurrence of a window, as a check sees it. */
export const MaintenanceOccurrence = Type.Object({ windowId: Uuid, name: Type.String(), start: Timestamp, end: Timestamp });

const fields = {
  startsAt: Type.Optional(Type.String({ format: 'date-time', description: 'once: when it starts' })),
  endsAt: Type.Optional(
    Type.String({ format: 'date-time', description: `once: when it ends, after startsAt and at most ${once.max / 86_400} days later` }),
  ),
  cron: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'recurring: a five-field cron expression or a nickname (@daily); each fire time starts an occurrence',
    }),
  ),
  tz: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        'recurring: IANA time zone cron is read in; across DST it fires as cronie does (a fixed time in a skipped hour at the jump, in a repeated hour once). Default: UTC',
    }),
  ),
  duration: Type.Optional(
    Type.Integer({
      minimum: duration.min,
      maximum: duration.max,
      description: `recurring: seconds each occurrence lasts, in real time (${duration.min} … ${duration.max}); occurrences that overlap are one`,
    }),
  ),
  tags: Type.Optional(Type.Array(Tag, { maxItems: targets.max, description: 'covers tags: a check with any of these is covered' })),
  checks: Type.Optional(Type.Array(Uuid, { maxItems: targets.max, description: 'covers checks: ids of checks of the project' })),
};

export const MaintenanceWindow = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: MaintenanceKind,
  startsAt: Type.Optional(Timestamp),
  endsAt: Type.Optional(Timestamp),
  cron: Type.Optional(Type.String()),
  tz: Type.Optional(Type.String()),
  duration: Type.Optional(Type.Integer()),
  covers: MaintenanceCovers,
  tags: Type.Array(Type.String()),
  checks: Type.Array(Uuid),
  endedAt: Type.Union([Timestamp, Type.Null()], {
    description: 'when it was ended early: a one-off window is over from then, a recurring one lost the rest of that occurrence',
  }),
  createdAt: Timestamp,
  current: Type.Union([MaintenanceSpan, Type.Null()], { description: 'the occurrence in force now' }),
  next: Type.Union([MaintenanceSpan, Type.Null()], { description: 'the first occurrence starting after now' }),
});
/** `GET /maintenance-windows`: every window of the project, oldest first. */
export const MaintenanceWindowList = Type.Object({ maintenanceWindows: Type.Array(MaintenanceWindow) });

/**
 * One object with the fields of both kinds rather than a union (Fastify's
 * Ajv strips what a union's first branch does not know); the server refuses
 * the fields of the other kind, naming them.
 */
export const MaintenanceWindowCreate = Type.Object(
  {
    name: WindowName,
    kind: MaintenanceKind,
    ...fields,
    covers: Type.Optional(
      oneOf(MAINTENANCE_COVERS, { description: 'Default: tags when tags are given, checks when checks are, else project' }),
    ),
  },
  { additionalProperties: false },
);
/** Changes on top of the stored window, checked again as a whole; changing the times undoes an early end. */
export const MaintenanceWindowPatch = Type.Object(
  { name: Type.Optional(WindowName), kind: Type.Optional(MaintenanceKind), ...fields, covers: Type.Optional(MaintenanceCovers) },
  { additionalProperties: false, minProperties: 1 },
);

/** `GET /checks/:id/maintenance`: the window in force for the check now (the one ending last) and the next to start. */
export const CheckMaintenance = Type.Object({
  now: Type.Union([MaintenanceOccurrence, Type.Null()]),
  next: Type.Union([MaintenanceOccurrence, Type.Null()]),
});

export type MaintenanceKind = Static<typeof MaintenanceKind>;
export type MaintenanceCovers = Static<typeof MaintenanceCovers>;
export type MaintenanceSpan = Static<typeof MaintenanceSpan>;
export type MaintenanceOccurrence = Static<typeof MaintenanceOccurrence>;
export type MaintenanceWindow = Static<typeof MaintenanceWindow>;
export type MaintenanceWindowList = Static<typeof MaintenanceWindowList>;
export type MaintenanceWindowCreate = Static<typeof MaintenanceWindowCreate>;
export type MaintenanceWindowPatch = Static<typeof MaintenanceWindowPatch>;
export type CheckMaintenance = Static<typeof CheckMaintenance>;
