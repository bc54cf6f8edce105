import { type Static, Type } from 'typebox';
import { InvitationToken, Role } from './auth';
import { ProjectParams, Timestamp, Uuid } from './common';

export const Invitation = Type.Object({
  id: Uuid,
  projectId: Uuid,
  email: Type.String(),
  role: Role,
  createdAt: Timestamp,
  expiresAt: Timestamp,
});
export const InvitationList = Type.Object({ invitations: Type.Array(Invitation) });
export const InvitationCreate = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 254 }), role: Role },
  { additionalProperties: false },
);
export const InvitationParams = Type.Object({ ...ProjectParams.properties, invitationId: Uuid });

/** What the admin who invited gets back, once: the link, and whether Cronbeat emailed it. */
export const InvitationSent = Type.Object({
  ...Invitation.properties,
  acceptUrl: Type.String({ description: 'the one-time link to pass on; shown only in this answer' }),
  emailed: Type.Boolean({ description: 'true when Cronbeat emailed the link (SMTP_URL is set and the server took the message)' }),
});

/** What the link's holder sees before joining. */
export const InvitationPreview = Type.Object({
  ...Invitation.properties,
  projectName: Type.String(),
  invitedBy: Type.Union([Type.String(), Type.Null()], { description: "the inviting admin's email; null when that account is gone" }),
});
export const InvitationAccept = Type.Object({ token: InvitationToken }, { additionalProperties: false });

export type Invitation = Static<typeof Invitation>;
export type InvitationList = Static<typeof InvitationList>;
export type InvitationCreate = Static<typeof InvitationCreate>;
export type InvitationSent = Static<typeof InvitationSent>;
export type InvitationPreview = Static<typeof InvitationPreview>;
export type InvitationAccept = Static<typeof InvitationAccept>;
