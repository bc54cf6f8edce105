/** Email over the SMTP server in SMTP_URL: alerts, reports and invitations, each a plain-text and an HTML part. */
import nodemailer, { type Transporter } from 'nodemailer';
import { alertHtml, alertText } from './alert-email';
import { objectOf } from './config-fields';
import { type InvitationEmail, invitationHtml, invitationSubject, invitationText } from './invitation';
import { alertSubject } from './message';
import { type Report, reportHtml, reportSubject, reportText } from './report';
import { type Alert, ChannelConfigError, DeliveryError, type NotifyEnv } from './types';

export interface EmailConfig {
  /** Recipients, 1 to 10 addresses. */
  to: string[];
}

const MAX_RECIPIENTS = 10;
// Deliberately loose: the SMTP server is the judge; this only catches typos like a missing @.
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function parseEmailConfig(input: unknown): EmailConfig {
  const raw = objectOf(input).to;
  const to = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(to) || to.length === 0 || to.length > MAX_RECIPIENTS) {
    throw new ChannelConfigError('to', `to must be 1 to ${MAX_RECIPIENTS} email addresses`);
  }
  for (const address of to) {
    if (typeof address !== 'string' || !ADDRESS.test(address))
      throw new ChannelConfigError('to', `"${String(address)}" is not an email address`);
  }
  return { to: to as string[] };
}

/**
 * One pooled SMTP connection set per process; created on first use. Each
 * SMTP step gives up after `timeoutMs`, so a stuck server cannot outlast the
 * worker's claim on a notification and let a second worker send it again.
 */
export function createMailer(env: NotifyEnv, timeoutMs: number): { transport(): Transporter; close(): void } {
  let transport: Transporter | null = null;
  return {
    transport() {
      if (!env.smtpUrl) throw new DeliveryError('email is not configured: SMTP_URL is not set', true);
      transport ??= nodemailer.createTransport(env.smtpUrl, {
        pool: true,
        maxConnections: 5,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      } as never);
      return transport;
    },
    close() {
      transport?.close();
      transport = null;
    },
  };
}

/** An alert's Message-ID is its notification id: every attempt at one notification is the same message to mail software. */
export const sendEmail = (transport: Transporter, from: string, config: EmailConfig, alert: Alert): Promise<string | null> =>
  sendMail(transport, {
    from,
    to: config.to,
    subject: alertSubject(alert),
    text: alertText(alert),
    html: alertHtml(alert),
    messageId: `<${alert.deliveryId}@cronbeat.alert>`,
  });

export const sendReportEmail = async (transport: Transporter, from: string, to: string, report: Report): Promise<void> => {
  await sendMail(transport, { from, to, subject: reportSubject(report), text: reportText(report), html: reportHtml(report) });
};

export const sendInvitationEmail = async (transport: Transporter, from: string, to: string, invitation: InvitationEmail): Promise<void> => {
  await sendMail(transport, {
    from,
    to,
    subject: invitationSubject(invitation),
    text: invitationText(invitation),
    html: invitationHtml(invitation),
  });
};

/**
 * One message over SMTP, resolving with the server's reply line (for the
 * delivery log); a failure rejects as a DeliveryError that says whether to
 * retry.
 */
async function sendMail(
  transport: Transporter,
  message: { from: string; to: string | string[]; subject: string; text: string; html: string; messageId?: string },
): Promise<string | null> {
  try {
    const info: { response?: unknown } = await transport.sendMail(message);
    return typeof info.response === 'string' ? info.response.slice(0, 300) : null;
  } catch (error) {
    throw smtpFailure(error);
  }
}

/** 5xx replies (no such mailbox, relay denied) will not change; 4xx and connection trouble may. */
function smtpFailure(error: unknown): DeliveryError {
  const { responseCode, response, message } = error as { responseCode?: number; response?: string; message?: string };
  const permanent = typeof responseCode === 'number' && responseCode >= 500;
  // nodemailer's `response` is the server's reply line ("550 5.1.1 No such user"); a short one goes to the delivery log.
  const reply = typeof response === 'string' ? response.slice(0, 300) : null;
  return new DeliveryError(`SMTP: ${message ?? String(error)}`, permanent, { cause: error, reply });
}
