/** Status badges as the API lists them: the project's and its tags' (`Badge`), and one check's (`CheckBadge`). */
import { type Static, Type } from 'typebox';
import { Uuid } from './common';

export const Badge = Type.Object({
  tag: Type.Union([Type.String(), Type.Null()], { description: 'null: every check of the project' }),
  label: Type.String(),
  svg: Type.String({ description: 'the image, for a README' }),
  json: Type.String({ description: 'status and counts, for scripts' }),
  shields: Type.String({ description: 'a shields.io endpoint, for a badge in another style' }),
});
export const BadgeList = Type.Object({ badges: Type.Array(Badge) });

/** One check's badge: `/badge/<badge key>/check/<slug, or id when it has none>.<format>`. */
export const CheckBadge = Type.Object({
  checkId: Uuid,
  label: Type.String({ description: "the check's name, as the badge shows it" }),
  svg: Type.String({ description: 'the image, for a README' }),
  json: Type.String({ description: 'status and counts, for scripts' }),
  shields: Type.String({ description: 'a shields.io endpoint, for a badge in another style' }),
});

export type Badge = Static<typeof Badge>;
export type BadgeList = Static<typeof BadgeList>;
export type CheckBadge = Static<typeof CheckBadge>;
