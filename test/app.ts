import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Dialect } from '../src/db/dialect.js';
import { openTestDatabase, type TestDatabase } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real app on a fresh test database. */
export async function openTestApp(dialect: Dialect = 'sqlite', env: Record<string, string> = {}, options: { now?: () => Date } = {}): Promise<TestApp> {
  const database = await openTestDatabase(dialect);
  const config = loadConfig({ NODE_ENV: 'test', ...env } as NodeJS.ProcessEnv);
  const app = await buildApp({ config, database, now: options.now });
  await app.ready();
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.destroy();
    },
  };
}
