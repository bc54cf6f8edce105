/**
 * The email that carries an invitation's link. The link holds the one-time
 * token, so this email is what proves that whoever joins reads the invited
 * mailbox.
 */
import { escapeHtml } from './message';

export interface InvitationEmail {
  projectName: string;
  role: string;
  /** Who invited them, by email; null when that account is gone. */
  invitedBy: string | null;
  /** The dashboard's join page with the token. */
  url: string;
  expiresAt: Date;
}

export const invitationSubject = (invitation: InvitationEmail): string =>
  `${invitation.invitedBy ?? 'Someone'} invited you to ${invitation.projectName} on Cronbeat`;

export function invitationText(invitation: InvitationEmail): string {
  return [
    `${invitation.invitedBy ?? 'Someone'} invited you to join the project "${invitation.projectName}" on Cronbeat as ${invitation.role}.`,
    '',
    `Join: ${invitation.url}`,
    '',
    `The link works once, until ${invitation.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    'If you did not expect this, ignore this email.',
  ].join('\n');
}

export function invitationHtml(invitation: InvitationEmail): string {
  return [
    `<p>${escapeHtml(invitation.invitedBy ?? 'Someone')} invited you to join the project <strong>${escapeHtml(invitation.projectName)}</strong> on Cronbeat as ${escapeHtml(invitation.role)}.</p>`,
    `<p><a href="${escapeHtml(invitation.url)}">Join ${escapeHtml(invitation.projectName)}</a></p>`,
    `<p>The link works once, until ${escapeHtml(invitation.expiresAt.toISOString().slice(0, 16).replace('T', ' '))} UTC. If you did not expect this, ignore this email.</p>`,
  ].join('\n');
}
