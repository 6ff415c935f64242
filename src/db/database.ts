import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Dialect } from './dialect.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Repositories take either the database or a transaction. */
export type Executor = Db | Trx;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /**
   * Reads the content version (see content-version.ts) on the hot path of every cached page:
   * a prepared statement kept for the process on SQLite, a named prepared statement on PostgreSQL.
   */
  readContentVersion(): Promise<number>;
  destroy(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  sqlitePath?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl) {
    // Keep integer columns as numbers (bigint counts come back as strings otherwise).
    pg.types.setTypeParser(20, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection that the server closes (restart, failover) must not crash the process;
    // the pool replaces it on next use.
    pool.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const versionQuery = { name: 'besa_content_version', text: 'select version from cache_state where id = 1' };
    return {
      db,
      dialect: 'postgres',
      readContentVersion: async () => Number((await pool.query<{ version: number }>(versionQuery)).rows[0]?.version ?? 0),
      destroy: () => db.destroy(),
    };
  }
  const path = options.sqlitePath ?? 'data/besa.sqlite';
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  let versionStatement: SqliteDatabase.Statement<[], { version: number }> | undefined;
  return {
    db,
    dialect: 'sqlite',
    // Prepared on first use: the table exists only once migrations have run.
    readContentVersion: async () => {
      versionStatement ??= sqlite.prepare<[], { version: number }>('select version from cache_state where id = 1');
      return versionStatement.get()?.version ?? 0;
    },
    destroy: () => db.destroy(),
  };
}

/**
 * Kysely prepares every query anew; on SQLite preparing costs more than running a short query.
 * Statements are kept by SQL text (queries are parameterised, so the set is small and bounded).
 * better-sqlite3 runs a statement to completion synchronously, so one statement is never in use twice.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, max = 1000) {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= max) statements.clear();
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
