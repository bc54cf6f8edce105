import type { Config } from '@cronbeat/config';
import type { FastifyInstance } from 'fastify';
import { type AppDependencies, buildApp } from './app';
import { type EmailPingListener, type EmailPingTimeouts, startEmailPings } from './email-pings/listener';

export { type AppDependencies, buildApp } from './app';

export interface RunningServer {
  app: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:3000. */
  address: string;
  /** The SMTP listener of email pings, when EMAIL_PINGS_PORT and EMAIL_PINGS_DOMAIN are set; null otherwise. */
  emailPings: EmailPingListener | null;
  /** Stops accepting connections and waits for requests in flight. */
  close(): Promise<void>;
}

/** Builds the app and listens on `config.host:config.port` (and for email pings, when configured). The caller owns the database. */
export async function start(
  config: Config,
  deps: AppDependencies & { emailPingTimeouts?: Partial<EmailPingTimeouts> },
): Promise<RunningServer> {
  const app = await buildApp(config, deps);
  const address = await app.listen({ port: config.port, host: config.host });
  let emailPings: EmailPingListener | null = null;
  if (config.emailPings) {
    emailPings = await startEmailPings(config.emailPings, {
      db: app.db,
      recorder: app.pingRecorder,
      logger: app.log,
      pingBodyLimit: config.pingBodyLimit,
      ...(deps.emailPingTimeouts && { timeouts: deps.emailPingTimeouts }),
    }).catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
    app.log.info(`email pings: SMTP on ${config.emailPings.host}:${emailPings.port} for *@${config.emailPings.domain}`);
  }
  const mail = emailPings;
  return {
    app,
    address,
    emailPings: mail,
    // Mail first: sessions finishing their DATA still reach the recorder, which the app closes after.
    close: async () => {
      await mail?.close();
      await app.close();
    },
  };
}
