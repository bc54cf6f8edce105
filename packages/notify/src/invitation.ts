/**
 * The email that carries an invitation's link. The link holds the one-time
 * token, so this email is what proves that whoever joins reads the invited
 * mailbox.
 */
import { button, emailHtml, heading, html, paragraph, strong } from './email-layout';
import { formatWhen } from './when';

export interface InvitationEmail {
  projectName: string;
  role: string;
  /** Who invited them, by email; null when that account is gone. */
  invitedBy: string | null;
  /** The dashboard's join page with the token. */
  url: string;
  expiresAt: Date;
}

const inviter = (invitation: InvitationEmail) => invitation.invitedBy ?? 'Someone';
// The invited person has no account, so no zone of their own yet: UTC, named.
const until = (invitation: InvitationEmail) => formatWhen(invitation.expiresAt, 'UTC');
const WHY = 'You get this email because someone with a Cronbeat project entered this address to invite it.';

export const invitationSubject = (invitation: InvitationEmail): string =>
  `${inviter(invitation)} invited you to ${invitation.projectName} on Cronbeat`;

export function invitationText(invitation: InvitationEmail): string {
  return [
    `${inviter(invitation)} invited you to join the project "${invitation.projectName}" on Cronbeat as ${invitation.role}.`,
    '',
    `Join: ${invitation.url}`,
    '',
    `The link works once, until ${until(invitation)}.`,
    '',
    '-- ',
    WHY,
    'If you did not expect it, ignore it: nobody joins without the link.',
  ].join('\n');
}

export function invitationHtml(invitation: InvitationEmail): string {
  return emailHtml({
    title: invitationSubject(invitation),
    preheader: `Join ${invitation.projectName} on Cronbeat as ${invitation.role}`,
    body: html`${heading(`Join ${invitation.projectName} on Cronbeat`)}
${paragraph(html`${strong(inviter(invitation))} invited you to join the project ${strong(invitation.projectName)} as ${invitation.role}.`)}
${button(invitation.url, `Join ${invitation.projectName}`)}
${paragraph(`The link works once, until ${until(invitation)}.`)}`,
    footer: html`${WHY} If you did not expect it, ignore it: nobody joins without the link.`,
  });
}
