import { PostgresAdapter, sql } from 'kysely';
import type { Db, Executor } from './database.js';
import { CONTENT_VERSION_CHANNEL } from './version-watch.js';

/**
 * One counter for all public content. Every command bumps it in its own transaction, and the
 * page cache serves a stored page only while the counter is unchanged, so no process, however
 * many share the database, serves a page older than the latest committed change for longer than
 * the bound of ADR 11 (none at all on SQLite, where every request reads the counter).
 */
export async function readContentVersion(db: Executor): Promise<number> {
  const row = await db.selectFrom('cache_state').select('version').where('id', '=', 1).executeTakeFirst();
  return row?.version ?? 0;
}

/**
 * Bumps the version in the command's transaction and returns the new one. On PostgreSQL the new
 * version is also announced (pg_notify, delivered to every listening process when the transaction
 * commits, and never if it rolls back).
 */
export async function bumpContentVersion(trx: Executor): Promise<number> {
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ version: number }>`
      with bumped as (update cache_state set version = version + 1 where id = 1 returning version)
      select version, pg_notify(${CONTENT_VERSION_CHANNEL}, version::text) as notified from bumped`.execute(trx);
    return Number(rows[0]?.version ?? 0);
  }
  const row = await trx
    .updateTable('cache_state')
    .set({ version: sql`version + 1` })
    .where('id', '=', 1)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? 0;
}

/** Where a database handle keeps its content version for the hot path (database.ts registers it). */
export interface ContentVersionSource {
  /** The version to serve cached pages by. */
  current(): Promise<number>;
  /** Reads it from the database now. */
  refresh(): Promise<number>;
  /** A version this process has just committed. */
  committed(version: number): void;
}

const sources = new WeakMap<object, ContentVersionSource>();

export function registerContentVersionSource(db: Db, source: ContentVersionSource): void {
  sources.set(db, source);
}

/**
 * The content version for caches on the hot path (pages, feeds, report files): the database
 * handle's (kept in memory on PostgreSQL, a prepared read on SQLite); read from the database for
 * a transaction or a database opened without openDatabase.
 */
export function currentContentVersion(db: Executor): Promise<number> {
  return sources.get(db)?.current() ?? readContentVersion(db);
}

/** Tells this process's caches of a version its command has committed (runCommand, after the commit). */
export function contentVersionCommitted(db: Db, version: number): void {
  sources.get(db)?.committed(version);
}

/**
 * After a change to the version made outside runCommand (a test setting it, a repair by hand):
 * this process reads it again now instead of within the bound.
 */
export async function refreshContentVersion(db: Db): Promise<number> {
  const source = sources.get(db);
  return source ? source.refresh() : readContentVersion(db);
}
