import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { seedIfEmpty } from './db/seeds/index.js';
import { buildApp } from './app.js';
import { startMailWorker } from './modules/mail/index.js';
import { remindDueReports } from './modules/reporting/index.js';

/** Process concerns only: configuration, migrations, first content, listen, graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  await migrateToLatest(database.db, database.dialect);
  await seedIfEmpty(database.db);
  const app = await buildApp({ config, database });
  app.server.keepAliveTimeout = 65_000;
  app.server.requestTimeout = 30_000;
  // The outbox worker: every app process runs one; each message is claimed by exactly one of them.
  const stopMailWorker = startMailWorker(database.db, config, app.log.child({ module: 'mail' }));
  // Reminders of due progress reports: hourly; idempotent (each reminder is recorded once sent).
  const remind = () =>
    remindDueReports(database.db, new Date(), { publicUrl: config.publicUrl }).then(
      (queued) => queued > 0 && app.log.info({ queued }, 'progress report reminders queued'),
      (error: unknown) => app.log.error({ err: error }, 'progress report reminders failed'),
    );
  const reminderTimer = setInterval(() => void remind(), 3_600_000);
  reminderTimer.unref();
  void remind();
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    clearInterval(reminderTimer);
    await app.close();
    await stopMailWorker();
    await database.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
