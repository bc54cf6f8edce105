import type { EmailPingsConfig } from '@cronbeat/config';
import { EMAIL_PING_METHOD, PingKind } from '@cronbeat/core';
import { checkIdByPingAddress, type Db } from '@cronbeat/db';
import { withDeadline } from '@cronbeat/runtime';
import type { FastifyBaseLogger } from 'fastify';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { FailureStreak } from '../failure-streak';
import { sourceAddress, storedUserAgent } from '../ping/address';
import type { ReceivedPing } from '../ping/batch';
import { PingNotStoredError, type PingRecorder } from '../ping/recorder';
import { readRecipient, targetKey } from './address';
import { ConnectionsPerAddress } from './connections';
import { pingBodyOf, readMessage } from './message';
import { smtpError } from './smtp-error';

/** How long the listener waits, in milliseconds; tests shorten them. */
export interface EmailPingTimeouts {
  /** A client may stay silent this long before it is cut off. Default: 60000, as smtp-server's. */
  socket: number;
  /** On close, sessions still open get this long to finish before they are told 421 and cut. Default: 3000. */
  close: number;
  /** The database may take this long to say whether a recipient is a check; then 451, try later. Default: 5000. */
  lookup: number;
}

export const DEFAULT_EMAIL_PING_TIMEOUTS: EmailPingTimeouts = { socket: 60_000, close: 3000, lookup: 5000 };

export interface EmailPingDeps {
  db: Db;
  /** The app's ping recorder: mail pings share the batches, the deadlines and the rules of HTTP pings. */
  recorder: PingRecorder;
  logger: FastifyBaseLogger;
  /** PING_BODY_LIMIT: bytes of the body kept, as for HTTP pings. */
  pingBodyLimit: number;
  timeouts?: Partial<EmailPingTimeouts>;
}

export interface EmailPingListener {
  /** The port it listens on (the one asked for, or the one picked for 0). */
  port: number;
  /** Takes no more connections and waits at most the close timeout for sessions still open. */
  close(): Promise<void>;
}

/** Connections at once in all, and from one address: enough for any mail server, too few to flood. */
const MAX_CLIENTS = 200;
const MAX_CLIENTS_PER_ADDRESS = 10;
/** Recipients of one message: each is a check pinged. */
const MAX_RECIPIENTS = 50;

/**
 * The inbound SMTP listener of email pings. It takes mail only for its own
 * domain and only for addresses that lead to a check (550 at `RCPT TO`
 * otherwise, so it never relays and never bounces), refuses a message over
 * the size limit (552, nothing stored), and records one success ping per
 * check named through the same recorder as HTTP pings; the check's keywords
 * then decide the kind. It answers 250 only once the pings are committed,
 * and 451 (the sending server tries again) when they could not be.
 */
export async function startEmailPings(config: EmailPingsConfig, deps: EmailPingDeps): Promise<EmailPingListener> {
  const timeouts = { ...DEFAULT_EMAIL_PING_TIMEOUTS, ...deps.timeouts };
  const connections = new ConnectionsPerAddress(MAX_CLIENTS_PER_ADDRESS);
  // Each recipient of each mail is looked up: a database outage would otherwise make a line per recipient.
  const lookups = new FailureStreak(deps.logger, 'email ping: looking recipients up');
  const server = new SMTPServer({
    name: config.domain,
    banner: 'Cronbeat email pings',
    // No accounts and no certificate: mail comes in plain, as to any MX without one, and nobody can log in to relay.
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    disableReverseLookup: true,
    size: config.maxBytes,
    rejectOversized: true,
    maxClients: MAX_CLIENTS,
    maxRecipients: MAX_RECIPIENTS,
    socketTimeout: timeouts.socket,
    closeTimeout: timeouts.close,
    logger: false,
    onConnect(session, callback) {
      if (!connections.open(session.id, session.remoteAddress)) {
        return callback(smtpError(421, '4.7.0 too many connections from your address, try again later'));
      }
      callback();
    },
    onClose(session) {
      connections.closed(session.id);
    },
    onRcptTo(address, _session, callback) {
      recipientVerdict(address).then(
        () => callback(),
        (error: Error) => callback(error),
      );
    },
    onData(stream, session, callback) {
      receive(stream, session).then(
        (answer) => callback(null, answer),
        (error: Error) => callback(error),
      );
    },
  });

  async function recipientVerdict(address: SMTPServerAddress): Promise<void> {
    const target = readRecipient(address.address, config.domain);
    if (target === 'other-domain')
      throw smtpError(550, `5.7.1 <${address.address}>: relaying denied, this server takes mail for ${config.domain} only`);
    if (target === 'malformed')
      throw smtpError(
        550,
        `5.1.1 <${address.address}>: no such check (addresses are <ping-code>@${config.domain} or <slug>+<ping-key>@${config.domain})`,
      );
    // The lookup a ping URL makes, by ping code or by ping key and slug, never by id: mail to no check is refused before its data.
    let found: boolean;
    try {
      found = (await withDeadline(checkIdByPingAddress(deps.db, target), timeouts.lookup)) !== null;
      lookups.succeeded();
    } catch (error) {
      lookups.failed(error);
      throw smtpError(451, '4.3.0 cannot look the address up now, try again later');
    }
    if (!found) throw smtpError(550, `5.1.1 <${address.address}>: no such check`);
  }

  async function receive(stream: Parameters<typeof readMessage>[0], session: SMTPServerSession): Promise<string> {
    const message = await readMessage(stream, config.maxBytes);
    if (message.oversized) throw smtpError(552, `5.3.4 message is larger than ${config.maxBytes} bytes; nothing was recorded`);
    const at = new Date();
    let body: Awaited<ReturnType<typeof pingBodyOf>>;
    try {
      body = await pingBodyOf(message.bytes, deps.pingBodyLimit);
    } catch {
      throw smtpError(554, '5.6.0 the message could not be read as mail; nothing was recorded');
    }
    const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const targets = new Map<string, ReceivedPing['target']>();
    for (const recipient of session.envelope.rcptTo) {
      const target = readRecipient(recipient.address, config.domain);
      if (typeof target !== 'string') targets.set(targetKey(target), target);
    }
    const base: Omit<ReceivedPing, 'target'> = {
      kind: PingKind.success,
      exitStatus: null,
      rid: null,
      at,
      method: EMAIL_PING_METHOD,
      scheme: 'email',
      remoteAddr: sourceAddress(unmappedAddress(session.remoteAddress)),
      // Where the mail came from, as the ping log shows a client's user agent.
      userAgent: storedUserAgent(`Email from ${sender === '' ? '<>' : sender}`),
      ...body,
    };
    let recorded = 0;
    try {
      const results = await Promise.all([...targets.values()].map((target) => deps.recorder.record({ ...base, target })));
      recorded = results.filter((result) => result.recorded).length;
    } catch (error) {
      if (!(error instanceof PingNotStoredError)) deps.logger.error({ err: error }, 'email ping: could not record');
      // Some of the checks may have their ping already; a repeat is one more ping, never a lost one.
      throw smtpError(451, '4.3.0 the ping could not be stored now, try again later');
    }
    // Every check was deleted between RCPT TO and the end of DATA.
    if (recorded === 0) throw smtpError(550, '5.1.1 no such check');
    return `2.0.0 pinged ${recorded} check${recorded === 1 ? '' : 's'}`;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After start-up an error is one connection's (a client that went away): log it, never crash.
  server.on('error', (error) => deps.logger.debug({ err: error }, 'email ping: connection error'));
  const bound = server.server.address();
  return {
    port: typeof bound === 'object' && bound !== null ? bound.port : config.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `::ffff:192.0.2.1` is 192.0.2.1: an IPv4 client of a dual-stack socket is stored as IPv4, as HTTP pings are. */
const unmappedAddress = (address: string): string => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
