import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { seedIfEmpty } from './db/seeds/index.js';
import { buildApp } from './app.js';
import { pruneAccountRecords } from './modules/accounts/index.js';
import { startMailWorker } from './modules/mail/index.js';
import { reindexIfFoldChanged } from './modules/search/index.js';
import { remindDueReports } from './modules/reporting/index.js';
import { remindUpcomingMeetings } from './modules/meetings/index.js';
import { moveSigningKeyOutOfDatabase, prepareSigningKey, runScheduledHistoryCheck } from './modules/transparency/index.js';
import { pruneSubscriptions, startSubscriptionDelivery } from './modules/subscriptions/index.js';
import { pruneParticipation } from './modules/participation/contribution-prune.js';
import { announceFirstRun, linkBase } from './first-run.js';

// Besa's processes run in UTC: every time is shown in a zone named explicitly (the jurisdiction's),
// and the calendar feeds' zoned times are built from a Date's local fields (meetings/ical.ts).
process.env.TZ = 'UTC';

/** Process concerns only: configuration, migrations, first content, listen, graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  await moveSigningKeyOutOfDatabase(config, database.db); // before migration 0029 drops the column
  await migrateToLatest(database.db, database.dialect);
  await prepareSigningKey(config, database.db); // the log's key file (made 0600 when missing): before any process signs
  await seedIfEmpty(database.db);
  // Search documents folded by an older version of the folding are rebuilt once.
  await reindexIfFoldChanged(database.db);
  const app = await buildApp({ config, database });
  app.server.keepAliveTimeout = 65_000;
  app.server.requestTimeout = 30_000;
  // The outbox worker: every app process runs one; each message is claimed by exactly one of them.
  const stopMailWorker = startMailWorker(database.db, config, app.log.child({ module: 'mail' }));
  // Every minute, in every process: subscribers' messages into the outbox (immediate ones, and the
  // daily and weekly digests once per UTC day or week); each notice reaches each person once,
  // whichever process queues it (modules/subscriptions/deliver.ts).
  const stopSubscriptionDelivery = startSubscriptionDelivery(database.db, { publicUrl: config.publicUrl, log: app.log.child({ module: 'subscriptions' }) });
  // Hourly, in every process (all idempotent): reminders of due progress reports (each is
  // recorded once sent) and of meetings three days ahead (once per meeting, again when moved), pruning of ended sign-in throttling windows, expired sessions and links,
  // and the transparency check (the log, and the public content against it; the outcome is stored
  // for the transparency page, a failure logged at error level).
  const hourly = () =>
    Promise.all([
      runScheduledHistoryCheck(database.db, app.log.child({ module: 'transparency' })),
      remindDueReports(database.db, new Date(), { publicUrl: config.publicUrl, log: app.log.child({ module: 'reporting' }) }).then(
        (queued) => queued > 0 && app.log.info({ queued }, 'progress report reminders queued'),
        (error: unknown) => app.log.error({ err: error }, 'progress report reminders failed'),
      ),
      remindUpcomingMeetings(database.db, new Date(), { publicUrl: config.publicUrl, log: app.log.child({ module: 'meetings' }) }).then(
        (queued) => queued > 0 && app.log.info({ queued }, 'meeting reminders queued'),
        (error: unknown) => app.log.error({ err: error }, 'meeting reminders failed'),
      ),
      pruneAccountRecords(database.db, new Date(), app.log.child({ module: 'accounts' })).then(
        (pruned) => app.log.debug(pruned, 'account records pruned'),
        (error: unknown) => app.log.error({ err: error }, 'pruning account records failed'),
      ),
      // Unconfirmed contributions and subscriptions whose 48-hour link expired, ended rate-limit
      // windows and keys, old notices: counts only in the log, never an address.
      pruneParticipation(database.db, new Date()).then(
        (pruned) => app.log.debug(pruned, 'participation records pruned'),
        (error: unknown) => app.log.error({ err: error }, 'pruning participation records failed'),
      ),
      pruneSubscriptions(database.db, new Date()).then(
        (pruned) => app.log.debug(pruned, 'subscription records pruned'),
        (error: unknown) => app.log.error({ err: error }, 'pruning subscription records failed'),
      ),
    ]);
  const hourlyTimer = setInterval(() => void hourly(), 3_600_000);
  hourlyTimer.unref();
  void hourly();
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    clearInterval(hourlyTimer);
    await app.close();
    await stopSubscriptionDelivery();
    await stopMailWorker();
    await database.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  // A first start says what to do next: no account exists yet, so print the link that creates the
  // first administrator, at the address the server really listens on (or BESA_PUBLIC_URL).
  const address = app.server.address();
  const port = address && typeof address === 'object' ? address.port : config.port;
  await announceFirstRun(database.db, linkBase(config, process.env, port)).catch((error: unknown) =>
    app.log.error({ err: error }, 'creating the first setup link failed (npm run besa -- setup-link makes one)'),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
