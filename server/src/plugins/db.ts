import fp from 'fastify-plugin';
import type { Database, Db } from '@tissu/db';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    database: Database;
  }
}

/** The database is opened by the caller (server.ts or a test) and handed in, so its life is theirs. */
export default fp<{ database: Database }>(
  async (app, { database }) => {
    app.decorate('database', database);
    app.decorate('db', database.db);
  },
  { name: 'db' },
);
