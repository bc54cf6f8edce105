import type { Database, Db } from '@cronbeat/db';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** The database every route queries; opened and closed by whoever started the server. */
    db: Db;
    database: Database;
  }
}

export const databasePlugin = fp(async (app: FastifyInstance, options: { database: Database }) => {
  app.decorate<Database>('database', options.database);
  app.decorate('db', options.database.db);
});
