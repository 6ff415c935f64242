import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Compilable, type CompiledQuery, type Transaction } from 'kysely';
import pg from 'pg';
import { registerContentVersionSource } from './content-version.js';
import type { Dialect } from './dialect.js';
import type { Database } from './schema.js';
import { VersionWatch, type VersionWatchOptions } from './version-watch.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Repositories take either the database or a transaction. */
export type Executor = Db | Trx;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /**
   * The content version (see content-version.ts) on the hot path of every cached page: a prepared
   * statement kept for the process on SQLite (exact); on PostgreSQL the version held in memory by
   * a VersionWatch (LISTEN/NOTIFY, read again within the bound of ADR 11), no round-trip.
   */
  readContentVersion(): Promise<number>;
  destroy(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  sqlitePath?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** PostgreSQL: how the content version is kept in memory (defaults: ADR 11; tests change them). */
  versionWatch?: Pick<VersionWatchOptions, 'listen' | 'refreshAfterMs' | 'maxAgeMs'>;
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
    const watch = new VersionWatch({
      ...options.versionWatch,
      connectionString: options.databaseUrl,
      read: async () => Number((await pool.query<{ version: number }>(versionQuery)).rows[0]?.version ?? 0),
    });
    registerContentVersionSource(db, watch);
    return {
      db,
      dialect: 'postgres',
      readContentVersion: () => watch.current(),
      destroy: async () => {
        await watch.close();
        await db.destroy();
      },
    };
  }
  const path = options.sqlitePath ?? 'data/besa.sqlite';
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  // No acknowledged write lost: FULL syncs the WAL at every commit, so a change whose success was
  // answered survives a power loss or an operating-system crash too (NORMAL syncs only at
  // checkpoints: safe against a process crash, not a power cut). Measured: about 3 ms more per
  // commit, some 300 commits/s on one file (bench/sqlite-synchronous.ts); Besa's writes are people
  // filing forms, far below that. Every command's transaction also appends to the transparency log.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const connection = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
  let versionStatement: CachedStatement | undefined;
  // Prepared on first use: the table exists only once migrations have run.
  const readSqliteVersion = async () => {
    // A command's transaction is open on the connection (between its awaits): read through Kysely,
    // which waits for it to end, so an uncommitted (perhaps rolled back) version is never seen.
    if (connection.inCommandTransaction()) return readVersionAfterCommands(db);
    versionStatement ??= connection.prepare('select version from cache_state where id = 1');
    return (versionStatement.get() as { version: number } | undefined)?.version ?? 0;
  };
  // Every request reads the version (cheap here), so it is exact also with several processes (WAL).
  registerContentVersionSource(db, { current: readSqliteVersion, refresh: readSqliteVersion, committed: () => undefined });
  return {
    db,
    dialect: 'sqlite',
    readContentVersion: readSqliteVersion,
    destroy: () => db.destroy(),
  };
}

async function readVersionAfterCommands(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('cache_state').select('version').where('id', '=', 1).executeTakeFirst();
  return row?.version ?? 0;
}

/** What Kysely's SQLite driver (and readContentVersion) use of a better-sqlite3 statement. */
interface CachedStatement {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): SqliteDatabase.RunResult;
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

/**
 * Kysely prepares every query anew; on SQLite preparing costs more than running a short query.
 * Statements are kept by SQL text (queries are parameterised, so the set is small and bounded).
 * better-sqlite3 runs a statement to completion synchronously, so one statement is never in use twice.
 *
 * Reads share a read transaction per turn of the event loop (ADR 4). Outside a transaction SQLite
 * takes and releases its shared lock around every statement, three system calls that cost more
 * than a short query; a page's half-dozen reads now take it once. A SELECT outside any transaction
 * opens the shared one (a deferred BEGIN); it is committed when this turn of the event loop ends
 * (setImmediate), and before any statement that is not a SELECT (a write, BEGIN, a pragma), so
 * writes and explicit transactions run exactly as they would without it. Reads of one turn see one
 * snapshot; a change committed by another process is seen from the next turn on.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, max = 1000) {
  const statements = new Map<string, CachedStatement>();
  const begin = sqlite.prepare('begin');
  const commit = sqlite.prepare('commit');
  let shared = false;
  const endSharedRead = () => {
    if (!shared) return;
    shared = false;
    if (sqlite.inTransaction) commit.run();
  };
  const beginSharedRead = () => {
    if (shared || sqlite.inTransaction) return;
    begin.run();
    shared = true;
    setImmediate(endSharedRead);
  };
  const wrap = (statement: SqliteDatabase.Statement): CachedStatement => {
    // Only plain SELECTs share the transaction: stmt.readonly is also true for BEGIN, COMMIT and
    // some pragmas, and INSERT … RETURNING is a reader.
    const select = statement.reader && statement.readonly && /^\s*(select|with)\b/i.test(statement.source);
    const before = select ? beginSharedRead : endSharedRead;
    return {
      reader: statement.reader,
      all: (...params) => (before(), statement.all(...params)),
      get: (...params) => (before(), statement.get(...params)),
      run: (...params) => (endSharedRead(), statement.run(...params)),
      // An iterator stays open across turns: it never runs inside the shared transaction.
      iterate: (...params) => (endSharedRead(), statement.iterate(...params)),
    };
  };
  return {
    /** True while a transaction other than the shared read one is open (a command's). */
    inCommandTransaction: () => sqlite.inTransaction && !shared,
    close: () => {
      endSharedRead();
      sqlite.close();
    },
    prepare(sql: string): CachedStatement {
      // A command's transaction (Kysely sends a plain, deferred BEGIN) takes the write lock at once.
      // Deferred, it would read first and ask for the lock at its first write; in WAL, if another
      // process (a worker) committed since that read, SQLite then answers "database is locked" at
      // once, without waiting the busy timeout. BEGIN IMMEDIATE waits its turn instead.
      if (/^\s*begin\s*;?\s*$/i.test(sql)) sql = 'begin immediate';
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= max) statements.clear();
        statement = wrap(sqlite.prepare(sql));
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/* ---------- Precompiled queries ---------- */

const PLACEHOLDER = Symbol('besa.placeholder');
interface Placeholder {
  readonly [PLACEHOLDER]: number;
}
const isPlaceholder = (value: unknown): value is Placeholder => typeof value === 'object' && value !== null && PLACEHOLDER in value;

/** An argument of a precompiled query: a value, or a list (of lists) of values. */
type Argument = unknown;

interface Template {
  sql: string;
  query: CompiledQuery['query'];
  queryId: CompiledQuery['queryId'];
  /** For each parameter of the SQL: the index of the argument value it takes, or a constant of the query. */
  parameters: ({ argument: number } | { constant: unknown })[];
}

/** The shape of the arguments: list lengths change the SQL (`in (?, ?, ?)`), values do not. */
function shapeOf(args: readonly Argument[]): string {
  let shape = '';
  for (const a of args) shape += Array.isArray(a) ? `[${shapeOf(a)}]` : '.';
  return shape;
}

function placeholdersFor(args: readonly Argument[], next = { index: 0 }): Argument[] {
  return args.map((a) => (Array.isArray(a) ? placeholdersFor(a, next) : ({ [PLACEHOLDER]: next.index++ } satisfies Placeholder)));
}

function flatten(args: readonly Argument[], out: unknown[] = []): unknown[] {
  for (const a of args) {
    if (Array.isArray(a)) flatten(a, out);
    else out.push(a);
  }
  return out;
}

/**
 * A read query of a hot page, built and compiled by Kysely once per database (SQLite or
 * PostgreSQL) and shape of its arguments, then run with each call's values. Building and compiling
 * a query costs more than running a short SQLite query; the SQL text, being the same string each
 * time, also finds its prepared statement at once (withStatementCache).
 *
 * `build` receives stand-ins for the arguments, so it must use each argument only as a value of
 * the query (`where(column, '=', arg)`, or a list for `in`), never to decide what to build;
 * a stand-in that does not become a parameter of the SQL throws. Lists are allowed at any depth:
 * their lengths are part of the shape, so a query per length is kept (at most `maxShapes`).
 * A database with Kysely plugins gets its queries built on every call, as usual.
 */
export function precompiled<A extends readonly Argument[], R>(
  build: (db: Executor, ...args: A) => Compilable<R>,
  maxShapes = 100,
): (db: Executor, ...args: A) => Promise<R[]> {
  // Keyed by the database's adapter: one per Kysely instance, shared by its transactions.
  const templates = new WeakMap<object, Map<string, Template>>();
  const compile = (db: Executor, args: A): Template => {
    const placeholders = placeholdersFor(args);
    const compiled = build(db, ...(placeholders as unknown as A)).compile();
    const used = new Set<number>();
    const parameters = compiled.parameters.map((p) => {
      if (!isPlaceholder(p)) return { constant: p };
      used.add(p[PLACEHOLDER]);
      return { argument: p[PLACEHOLDER] };
    });
    const count = flatten(placeholders).length;
    if (used.size !== count) throw new Error(`precompiled: ${count - used.size} of ${count} arguments are not parameters of: ${compiled.sql}`);
    return { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, parameters };
  };
  return async (db, ...args) => {
    const executor = db.getExecutor();
    if (executor.plugins.length > 0) return (await db.executeQuery(build(db, ...args))).rows;
    let byShape = templates.get(executor.adapter);
    if (!byShape) templates.set(executor.adapter, (byShape = new Map()));
    const shape = shapeOf(args);
    let template = byShape.get(shape);
    if (!template) {
      if (byShape.size >= maxShapes) byShape.clear();
      template = compile(db, args);
      byShape.set(shape, template);
    }
    const values = flatten(args);
    const parameters = template.parameters.map((p) => ('argument' in p ? values[p.argument] : p.constant));
    const query: CompiledQuery<R> = { sql: template.sql, query: template.query, queryId: template.queryId, parameters };
    return (await db.executeQuery(query)).rows;
  };
}
