import type { Config } from '@cronbeat/config';
import type { FastifyInstance } from 'fastify';
import { type AppDependencies, buildApp } from './app';

export { type AppDependencies, buildApp } from './app';

export interface RunningServer {
  app: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:3000. */
  address: string;
  /** Stops accepting connections and waits for requests in flight. */
  close(): Promise<void>;
}

/** Builds the app and listens on `config.host:config.port`. The caller owns the database. */
export async function start(config: Config, deps: AppDependencies): Promise<RunningServer> {
  const app = await buildApp(config, deps);
  const address = await app.listen({ port: config.port, host: config.host });
  return { app, address, close: () => app.close() };
}
