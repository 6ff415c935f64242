import cluster, { type Worker } from 'node:cluster';
import { loadConfig, type Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { seedIfEmpty } from './db/seeds/index.js';
import { buildApp } from './app.js';
import { pruneAccountRecords } from './modules/accounts/index.js';
import { startMailWorker } from './modules/mail/index.js';
import { reindexIfFoldChanged } from './modules/search/index.js';
import { remindDueReports } from './modules/reporting/index.js';
import { remindUpcomingMeetings } from './modules/meetings/index.js';
import { loadSigningKey, moveSigningKeyOutOfDatabase, prepareSigningKey, runScheduledHistoryCheck, startWitnessCatchUp } from './modules/transparency/index.js';
import { pruneSubscriptions, startSubscriptionDelivery } from './modules/subscriptions/index.js';
import { pruneParticipation } from './modules/participation/contribution-prune.js';
import { announceFirstRun, linkBase } from './first-run.js';

// Besa's processes run in UTC: every time is shown in a zone named explicitly (the jurisdiction's),
// and the calendar feeds' zoned times are built from a Date's local fields (meetings/ical.ts).
process.env.TZ = 'UTC';

/**
 * Process concerns only: configuration, migrations, first content, listen, graceful shutdown.
 *
 * BESA_WORKERS=1: one process does everything (below, `single`). BESA_WORKERS=N > 1 (the default on
 * a machine with several cores): this process becomes the primary (`primary`), which prepares the
 * database once and forks N workers (node:cluster) that each build the app and listen on the same
 * port; the primary hands out connections and serves none itself. A worker that dies is replaced;
 * SIGTERM or SIGINT on the primary drains every worker (each finishes its requests in flight) and
 * the primary exits when the last is gone.
 */

/** Once per start, before any process serves: migrations, first content, search reindex. */
async function prepare(config: Config): Promise<DatabaseHandle> {
  const database = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  await moveSigningKeyOutOfDatabase(config, database.db); // before migration 0029 drops the column
  await migrateToLatest(database.db, database.dialect);
  // The log's key file (made 0600 when missing, checked against the log): here, once, before any
  // worker is forked and could race for it.
  await prepareSigningKey(config, database.db);
  await seedIfEmpty(database.db);
  // Search documents folded by an older version of the folding are rebuilt once.
  await reindexIfFoldChanged(database.db);
  return database;
}

/**
 * Builds the app on an open database and listens. `jobs`: whether this process also runs the
 * background work (outbox, subscribers' messages, the hourly jobs). All of it is safe in several
 * processes at once (each message is claimed once, each reminder recorded once sent), but running
 * it in one process is cheaper: with workers, the first worker runs it (and its replacement, if it
 * dies); the others only serve. Returns the port listened on.
 */
async function serve(config: Config, database: DatabaseHandle, jobs: boolean): Promise<number> {
  const app = await buildApp({ config, database });
  app.server.keepAliveTimeout = 65_000;
  app.server.requestTimeout = 30_000;
  const stops: Array<() => Promise<void>> = [];
  let hourlyTimer: NodeJS.Timeout | undefined;
  if (jobs) {
    // The outbox worker: each message is claimed by exactly one process, whichever runs it.
    stops.push(startMailWorker(database.db, config, app.log.child({ module: 'mail' })));
    // Every minute: subscribers' messages into the outbox (immediate ones, and the daily and weekly
    // digests once per UTC day or week); each notice reaches each person once, whichever process
    // queues it (modules/subscriptions/deliver.ts).
    stops.push(startSubscriptionDelivery(database.db, { publicUrl: config.publicUrl, log: app.log.child({ module: 'subscriptions' }) }));
    // Every 30 s: the witnesses without a cosignature on the latest checkpoint are asked again, so
    // one that was down catches up (each command that publishes also asks them, in the background).
    stops.push(startWitnessCatchUp(database.db, app.log.child({ module: 'witnesses' })));
    // Hourly (all idempotent): reminders of due progress reports (each is recorded once sent) and of
    // meetings three days ahead (once per meeting, again when moved), pruning of ended sign-in
    // throttling windows, expired sessions and links, and the transparency check (the log, and the
    // public content against it; the outcome is stored for the transparency page, a failure logged
    // at error level).
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
    hourlyTimer = setInterval(() => void hourly(), 3_600_000);
    hourlyTimer.unref();
    void hourly();
  }
  let closing = false;
  // Drains: the server stops accepting, requests in flight finish (Fastify answers 503 to new ones
  // on a kept-alive connection meanwhile), then the background work stops and the database closes.
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    clearInterval(hourlyTimer);
    await app.close();
    for (const stop of stops) await stop();
    await database.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A worker whose primary is gone (killed outright) drains and exits instead of serving alone.
  if (cluster.isWorker) process.on('disconnect', () => void shutdown('primary gone'));
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  return address && typeof address === 'object' ? address.port : config.port;
}

/**
 * A first start says what to do next: no account exists yet, so print the link that creates the
 * first administrator, at the address the server really listens on (or BESA_PUBLIC_URL). Once per
 * start, whatever the number of workers.
 */
async function announce(config: Config, database: DatabaseHandle, port: number, logError: (error: unknown) => void): Promise<void> {
  // With workers the primary writes the link while the first worker starts its background work on
  // the same SQLite file: a write held longer than the busy timeout (a loaded machine) is waited out
  // a few times rather than leaving the newcomer without a link.
  for (let attempt = 1; ; attempt++) {
    try {
      await announceFirstRun(database.db, linkBase(config, process.env, port));
      return;
    } catch (error) {
      const busy = error instanceof Error && /database is locked|SQLITE_BUSY/i.test(`${error.message} ${(error as { code?: string }).code ?? ''}`);
      if (!busy || attempt >= 5) return logError(error);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

const FIRST_RUN_FAILED = 'creating the first setup link failed (npm run besa -- setup-link makes one)';

/** BESA_WORKERS=1: one process prepares, serves and runs the background work. */
async function single(config: Config): Promise<void> {
  const database = await prepare(config);
  const port = await serve(config, database, true);
  await announce(config, database, port, (error) => console.error(`${FIRST_RUN_FAILED}: ${error instanceof Error ? error.message : String(error)}`));
}

/** A worker: opens the database (prepared by the primary) and serves. */
async function worker(): Promise<void> {
  const config = loadConfig();
  const database = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  // The key file the primary prepared: every worker signs with it (a worker without it would sign
  // with a key of its own, which the log refuses).
  loadSigningKey(config);
  await serve(config, database, process.env.BESA_WORKER_JOBS === '1');
}

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** The primary's log lines, shaped as the workers' (pino JSON lines) so one reader handles both. */
function primaryLog(config: Config): (level: 'info' | 'warn' | 'error' | 'fatal', msg: string, fields?: Record<string, unknown>) => void {
  const threshold = LEVELS[config.logLevel] ?? Infinity;
  return (level, msg, fields = {}) => {
    const value = LEVELS[level]!;
    if (value < threshold) return;
    process.stdout.write(`${JSON.stringify({ level: value, time: Date.now(), pid: process.pid, role: 'primary', ...fields, msg })}\n`);
  };
}

/** Over this many unexpected worker exits within RESTART_WINDOW_MS, the primary gives up. */
const RESTART_WINDOW_MS = 60_000;

/** BESA_WORKERS > 1: prepare once, fork the workers, replace the ones that die, drain on a signal. */
async function primary(config: Config): Promise<void> {
  const log = primaryLog(config);
  const database = await prepare(config);
  const maxRestarts = Math.max(5, 2 * config.workers);
  const restarts: number[] = [];
  /** Each worker's place, 1…N: the one at 1 runs the background work. */
  const places = new Map<Worker, number>();
  let closing = false;
  let exitCode = 0;
  let announced = false;

  const fork = (place: number) => {
    const child = cluster.fork({ BESA_WORKER_INDEX: String(place), BESA_WORKER_JOBS: place === 1 ? '1' : '0' });
    places.set(child, place);
  };

  const drain = (reason: string, code: number) => {
    if (closing) return;
    closing = true;
    exitCode = code;
    log('info', 'draining workers', { reason, workers: places.size });
    // The workers' own drain gives up after 10 s; past 15 s the primary ends what is left.
    const timer = setTimeout(() => {
      log('error', 'workers did not stop in time', { workers: places.size });
      for (const child of places.keys()) child.process.kill('SIGKILL');
      process.exit(1);
    }, 15_000);
    timer.unref();
    for (const child of places.keys()) child.process.kill('SIGTERM');
    if (places.size === 0) stopped();
  };
  const stopped = () => {
    log(exitCode === 0 ? 'info' : 'error', 'all workers stopped', { exitCode });
    void database.destroy().finally(() => process.exit(exitCode));
  };

  cluster.on('listening', (child, address) => {
    log('info', 'worker listening', { worker: places.get(child), workerPid: child.process.pid, port: address.port });
    if (announced) return;
    announced = true;
    void announce(config, database, address.port, (error) => log('error', FIRST_RUN_FAILED, { err: error instanceof Error ? error.message : String(error) }));
  });
  cluster.on('exit', (child, code, signal) => {
    const place = places.get(child) ?? 0;
    places.delete(child);
    if (closing) {
      if (places.size === 0) stopped();
      return;
    }
    log('error', 'worker died; replacing it', { worker: place, workerPid: child.process.pid, code, signal });
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length > maxRestarts) {
      log('fatal', 'workers keep dying; stopping', { restarts: restarts.length, seconds: RESTART_WINDOW_MS / 1000 });
      drain('restart limit', 1);
      return;
    }
    fork(place);
  });
  process.on('SIGINT', () => drain('SIGINT', 0));
  process.on('SIGTERM', () => drain('SIGTERM', 0));
  log('info', 'starting workers', { workers: config.workers });
  for (let place = 1; place <= config.workers; place++) fork(place);
}

async function main(): Promise<void> {
  if (cluster.isWorker) return worker();
  const config = loadConfig();
  return config.workers > 1 ? primary(config) : single(config);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
