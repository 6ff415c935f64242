import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type DatabaseHandle, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedIfEmpty } from '../src/db/seeds/index.js';
import { seedDemo } from '../src/db/seeds/demo.js';

export interface TestServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43123 */
  url: string;
  db: Db;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * Starts the real app in this process on a free port, on a fresh SQLite file in a temporary
 * folder: migrated, seeded with Gjakova's plan and (unless `demo: false`) the demonstration data.
 */
export async function startServer(options: { demo?: boolean } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'besa-e2e-'));
  const config = loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', BESA_DB: join(dir, 'besa.sqlite') });
  let database: DatabaseHandle | undefined;
  let app: FastifyInstance | undefined;
  try {
    database = openDatabase({ sqlitePath: config.sqlitePath });
    await migrateToLatest(database.db, database.dialect);
    await seedIfEmpty(database.db);
    if (options.demo ?? true) await seedDemo(database.db);
    app = await buildApp({ config, database });
    const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace(/\/+$/, '');
    const opened = { app, database };
    return {
      url,
      db: database.db,
      app,
      async close() {
        await opened.app.close();
        await opened.database.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database?.destroy().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
