import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { describeHistoryCheck, verifyPublishedHistory, type HistoryCheck } from '../modules/transparency/index.js';
import { openDatabase, type Db } from './database.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

/**
 * Backups and restores (`besa backup FILE`, `besa restore FILE`).
 *
 * SQLite: the backup is a consistent online copy made with `VACUUM INTO` (one read transaction, so
 * it sees one moment; in WAL mode the server keeps writing meanwhile), written next to FILE and
 * renamed into place only once complete, then checked: `PRAGMA integrity_check` and the whole
 * `besa audit verify` (the log, its signed checkpoints, the public content against the log) on the
 * copy, opened read-only. A restore copies a backup into a BESA_DB path that does not exist yet,
 * then checks it the same way after bringing its schema up to date.
 *
 * PostgreSQL: pg_dump's custom format. Besa builds the command for DATABASE_URL (the password is
 * passed through PGPASSWORD, never on the command line, and never printed), checks that pg_dump is
 * installed and at least as new as the server, and runs it when asked. A restore runs pg_restore
 * into a database that holds no table, then the same checks.
 *
 * Every problem the person can fix is a BackupError: the CLI prints its message alone.
 */
export class BackupError extends Error {}

/** What a check of a copy found. */
export interface CopyCheck {
  /** `PRAGMA integrity_check`'s answer (SQLite only): "ok" when sound. */
  integrity?: string;
  /** Migrations applied to bring a restored database up to date. */
  migrated?: string[];
  history: HistoryCheck;
  ok: boolean;
}

export interface BackupResult {
  file: string;
  bytes: number;
  milliseconds: number;
  check: CopyCheck;
}

/** The tables of a database's schema, in name order (Kysely's own migration tables included). */
export async function tableNames(db: Db): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  return tables.map((t) => t.name).sort();
}

/* ---------- SQLite ---------- */

/** A Kysely over a read-only connection: checks a copy without writing a byte to it. */
function openReadOnly(path: string): { db: Db; sqlite: SqliteDatabase.Database } {
  const sqlite = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
  return { sqlite, db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }) };
}

function integrityOf(sqlite: SqliteDatabase.Database): string {
  const rows = sqlite.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}

/** integrity_check and the whole audit verify on a SQLite file, opened read-only. */
export async function checkSqliteCopy(path: string): Promise<CopyCheck> {
  const { db, sqlite } = openReadOnly(path);
  try {
    const integrity = integrityOf(sqlite);
    if (integrity !== 'ok') throw new BackupError(`${path}: PRAGMA integrity_check says: ${integrity}`);
    const history = await verifyPublishedHistory(db);
    return { integrity, history, ok: history.ok };
  } finally {
    await db.destroy();
  }
}

function refuseExisting(file: string): void {
  if (existsSync(file)) throw new BackupError(`${file} already exists: a backup never overwrites a file. Name a new file (e.g. with the date).`);
}

/**
 * A consistent online copy of the SQLite database at `sourcePath` into `file` (which must not exist),
 * then checked. The server may keep running: VACUUM INTO reads one snapshot.
 */
export async function backupSqlite(sourcePath: string, file: string): Promise<BackupResult> {
  if (!existsSync(sourcePath)) throw new BackupError(`There is no database at ${sourcePath} (BESA_DB) to back up.`);
  if (resolve(sourcePath) === resolve(file)) throw new BackupError('The backup file must not be the database itself.');
  refuseExisting(file);
  if (!existsSync(dirname(resolve(file)))) throw new BackupError(`The folder ${dirname(resolve(file))} does not exist.`);
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  const started = performance.now();
  const source = new SqliteDatabase(sourcePath, { fileMustExist: true });
  try {
    createPrivateFile(partial);
    source.pragma('busy_timeout = 5000');
    source.prepare('vacuum into ?').run(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
  // Renamed only when whole: an interrupted backup never looks like one.
  renameSync(partial, file);
  const milliseconds = Math.round(performance.now() - started);
  const check = await checkSqliteCopy(file);
  return { file, bytes: statSync(file).size, milliseconds, check };
}

/** A file that holds no table (or no file at all) is an empty SQLite database. */
function sqliteHoldsData(path: string): boolean {
  if (!existsSync(path)) return false;
  if (statSync(path).size === 0) return false;
  const sqlite = new SqliteDatabase(path, { readonly: true });
  try {
    const row = sqlite.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as { n: number };
    return row.n > 0;
  } finally {
    sqlite.close();
  }
}

/**
 * Restores a backup made by backupSqlite into `targetPath`, which must not hold a database yet; then
 * brings the schema up to date (a backup from an older Besa) and checks integrity and the history.
 */
/** Runs on the restored database before its migrations: a backup from before 0029 still holds the log's private key, which moves into the key file first. */
export type BeforeMigrate = (db: Db) => Promise<unknown>;

export async function restoreSqlite(file: string, targetPath: string, beforeMigrate?: BeforeMigrate): Promise<BackupResult> {
  if (!existsSync(file)) throw new BackupError(`There is no backup file ${file}.`);
  if (targetPath === ':memory:') throw new BackupError('BESA_DB is :memory:: set it to the file to restore into.');
  if (sqliteHoldsData(targetPath) || existsSync(`${targetPath}-wal`)) {
    throw new BackupError(
      `${targetPath} (BESA_DB) already holds a database: a restore only goes into an empty one. Stop the server, move that file (and its -wal and -shm files) away or set BESA_DB to a new path, then restore again.`,
    );
  }
  const started = performance.now();
  // The backup is checked before it takes the database's place.
  const before = openReadOnly(file);
  try {
    const integrity = integrityOf(before.sqlite);
    if (integrity !== 'ok') throw new BackupError(`${file} is damaged: PRAGMA integrity_check says: ${integrity}`);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} is not a SQLite backup: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await before.db.destroy();
  }
  const partial = `${targetPath}.partial`;
  rmSync(partial, { force: true });
  // Copied through SQLite (not byte for byte) so the result is a whole database file in any case.
  const source = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    source.prepare('vacuum into ?').run(partial);
  } finally {
    source.close();
  }
  rmSync(targetPath, { force: true });
  rmSync(`${targetPath}-shm`, { force: true });
  renameSync(partial, targetPath);
  const database = openDatabase({ sqlitePath: targetPath });
  try {
    await beforeMigrate?.(database.db);
    const migrated = await migrateToLatest(database.db, database.dialect);
    const integrity = (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(database.db)).rows.map((r) => r.integrity_check).join('; ');
    const history = await verifyPublishedHistory(database.db);
    const milliseconds = Math.round(performance.now() - started);
    return { file: targetPath, bytes: statSync(targetPath).size, milliseconds, check: { integrity, migrated, history, ok: integrity === 'ok' && history.ok } };
  } finally {
    await database.destroy();
  }
}

/**
 * Makes the (empty) file a backup is written into, readable by its owner only: a backup holds
 * password hashes, sessions and e-mail addresses. VACUUM INTO and pg_dump write into it, keeping
 * its mode.
 */
function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'wx', 0o600));
}

/* ---------- PostgreSQL ---------- */

/** The connection string with its password replaced by ***, for anything printed. */
export function maskUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = '***';
  for (const name of SECRET_PARAMETERS) if (url.searchParams.has(name)) url.searchParams.set(name, '***');
  return url.toString();
}

/** Connection-string parameters that hold a secret (libpq and node-postgres accept both). */
const SECRET_PARAMETERS = ['password', 'sslpassword'] as const;

export interface PgCommand {
  /** The program and its arguments, as run. */
  argv: string[];
  /** PGPASSWORD when the URL holds one: passed in the environment, never as an argument. */
  env: Record<string, string>;
  /** The command as printed: the password masked. */
  shown: string;
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function pgCommand(program: string, databaseUrl: string, args: string[]): PgCommand {
  const url = new URL(databaseUrl);
  // The password goes in the environment, never on the command line (visible in `ps`), whether it
  // sits in the URL's user part or in a `password` parameter.
  const password = decodeURIComponent(url.password) || url.searchParams.get('password') || '';
  url.password = '';
  url.searchParams.delete('password');
  const argv = [program, ...args, `--dbname=${url.toString()}`];
  const env: Record<string, string> = password ? { PGPASSWORD: password } : {};
  // Printed with any other secret parameter (sslpassword, which has no environment variable) masked.
  const shownArgv = [program, ...args, `--dbname=${maskUrl(url.toString())}`];
  const shown = `${password ? 'PGPASSWORD=*** ' : ''}${shownArgv.map(quote).join(' ')}`;
  return { argv, env, shown };
}

/** `pg_dump --format=custom` of the whole database into `file`. */
export function pgDumpCommand(databaseUrl: string, file: string): PgCommand {
  // Owners and privileges are left out at restore time (pg_restore --no-owner --no-privileges).
  return pgCommand('pg_dump', databaseUrl, ['--format=custom', `--file=${file}`]);
}

/** `pg_restore` of a custom-format dump into the (empty) database, all or nothing. */
export function pgRestoreCommand(databaseUrl: string, file: string): PgCommand {
  return pgCommand('pg_restore', databaseUrl, ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', file]);
}

function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout, stderr }));
  });
}

/** The major version of a PostgreSQL client program on PATH, or undefined when it is not installed. */
export function pgToolMajor(program: 'pg_dump' | 'pg_restore'): Promise<number | undefined> {
  return new Promise((resolvePromise) => {
    execFile(program, ['--version'], (error, stdout) => {
      const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout ?? '') ?? /\s(\d+)(\.\d+)*\s*$/.exec(stdout ?? '');
      resolvePromise(error || !match ? undefined : Number(match[1]));
    });
  });
}

async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(`Cannot connect to ${maskUrl(databaseUrl)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The server's major version (server_version_num 150004 → 15). */
export async function pgServerMajor(databaseUrl: string): Promise<number> {
  const number = await withClient(databaseUrl, async (client) => Number((await client.query<{ v: string }>("select current_setting('server_version_num') as v")).rows[0]?.v));
  if (!Number.isInteger(number) || number <= 0) throw new BackupError(`The server at ${maskUrl(databaseUrl)} did not say its version.`);
  return Math.floor(number / 10_000);
}

/** pg_dump or pg_restore must be installed and at least as new as the server (an older one refuses or loses things). */
export async function checkPgTool(program: 'pg_dump' | 'pg_restore', databaseUrl: string): Promise<{ toolMajor: number; serverMajor: number }> {
  const toolMajor = await pgToolMajor(program);
  if (toolMajor === undefined) throw new BackupError(`${program} is not on PATH: install PostgreSQL's client programs (Debian: apt-get install postgresql-client) of the server's version or newer.`);
  const serverMajor = await pgServerMajor(databaseUrl);
  if (toolMajor < serverMajor) throw new BackupError(`${program} is version ${toolMajor}, older than the server (${serverMajor}): install the client programs of version ${serverMajor} or newer.`);
  return { toolMajor, serverMajor };
}

/** The tables in the database's schemas (not PostgreSQL's own). */
async function pgUserTables(databaseUrl: string): Promise<number> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ n: string }>(
      "select count(*) as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')",
    );
    return Number(rows[0]!.n);
  });
}

/** Whether a custom-format archive can be read, and holds the transparency log's data. */
async function checkPgArchive(file: string): Promise<void> {
  const listed = await run(['pg_restore', '--list', file]);
  if (listed.code !== 0) throw new BackupError(`pg_restore cannot read ${file}: ${listed.stderr.trim()}`);
  if (!/TABLE DATA \S+ transparency_entries /.test(listed.stdout)) throw new BackupError(`${file} holds no data of the transparency log: it is not a backup of Besa's database.`);
}

export interface PgBackupPlan {
  command: PgCommand;
  toolMajor: number;
  serverMajor: number;
}

/** Builds and checks the pg_dump command for `file` (which must not exist); runs nothing. */
export async function planPostgresBackup(databaseUrl: string, file: string): Promise<PgBackupPlan> {
  refuseExisting(file);
  const versions = await checkPgTool('pg_dump', databaseUrl);
  return { command: pgDumpCommand(databaseUrl, file), ...versions };
}

/** Runs pg_dump as planned, then checks that pg_restore can read the archive. */
export async function backupPostgres(databaseUrl: string, file: string): Promise<{ plan: PgBackupPlan; bytes: number; milliseconds: number }> {
  const plan = await planPostgresBackup(databaseUrl, file);
  const started = performance.now();
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  createPrivateFile(partial);
  const command = pgDumpCommand(databaseUrl, partial);
  const result = await run(command.argv, command.env);
  if (result.code !== 0) {
    rmSync(partial, { force: true });
    throw new BackupError(`pg_dump failed: ${result.stderr.trim()}`);
  }
  renameSync(partial, file);
  const milliseconds = Math.round(performance.now() - started);
  await checkPgArchive(file);
  return { plan, bytes: statSync(file).size, milliseconds };
}

/**
 * Restores a pg_dump custom-format archive into the database of `databaseUrl`, which must hold no
 * table (create it with createdb), in one transaction; then brings the schema up to date and runs
 * the whole audit verify on it.
 */
export async function restorePostgres(databaseUrl: string, file: string, beforeMigrate?: BeforeMigrate): Promise<BackupResult> {
  if (!existsSync(file)) throw new BackupError(`There is no backup file ${file}.`);
  await checkPgTool('pg_restore', databaseUrl);
  const tables = await pgUserTables(databaseUrl);
  if (tables > 0) {
    throw new BackupError(
      `The database ${maskUrl(databaseUrl)} already holds ${tables} tables: a restore only goes into an empty database. Create a new one (createdb NAME), point DATABASE_URL at it, then restore again.`,
    );
  }
  await checkPgArchive(file);
  const started = performance.now();
  const command = pgRestoreCommand(databaseUrl, file);
  const result = await run(command.argv, command.env);
  if (result.code !== 0) throw new BackupError(`pg_restore failed (nothing was restored: it runs in one transaction): ${result.stderr.trim()}`);
  const database = openDatabase({ databaseUrl, poolSize: 2 });
  try {
    await beforeMigrate?.(database.db);
    const migrated = await migrateToLatest(database.db, database.dialect);
    const history = await verifyPublishedHistory(database.db);
    const milliseconds = Math.round(performance.now() - started);
    return { file, bytes: statSync(file).size, milliseconds, check: { migrated, history, ok: history.ok } };
  } finally {
    await database.destroy();
  }
}

/** A check in lines for the command line. */
export function describeCopyCheck(check: CopyCheck): string[] {
  const lines: string[] = [];
  if (check.integrity !== undefined) lines.push(`PRAGMA integrity_check: ${check.integrity}`);
  if (check.migrated?.length) lines.push(`Applied migrations: ${check.migrated.join(', ')}`);
  lines.push(...describeHistoryCheck(check.history));
  return lines;
}

/** 1234567 → "1.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
