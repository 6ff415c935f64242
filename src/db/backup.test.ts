import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { ADMIN } from '../../test/actors.js';
import { openTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from '../../test/db.js';
import { createNewsDraft, publishNewsItem, updateNewsItem } from '../modules/news/commands.js';
import { verifyTransparencyLog } from '../modules/transparency/index.js';
import { BackupError, backupPostgres, backupSqlite, maskUrl, pgDumpCommand, restorePostgres, restoreSqlite, tableNames } from './backup.js';
import { openDatabase, type Db } from './database.js';
import { migrateToLatest } from './migrate.js';
import { seedDemo, seedIfEmpty } from './seeds/index.js';

/** Demo data, then logged changes: a news item drafted, published and corrected (two log entries). */
async function fill(db: Db): Promise<void> {
  await seedIfEmpty(db);
  await seedDemo(db);
  const jurisdiction = await db.selectFrom('jurisdictions').select('id').orderBy('id').executeTakeFirstOrThrow();
  const input = { jurisdictionId: jurisdiction.id, kind: 'news' as const, contentLocale: 'en' as const, title: 'Backed up', summary: '', body: 'Before the backup.', periodFrom: null, periodTo: null };
  const id = await createNewsDraft(db, ADMIN, input);
  await publishNewsItem(db, ADMIN, id);
  await updateNewsItem(db, ADMIN, id, { ...input, title: 'Backed up, corrected' });
}

/** Every row of every table of the schema (read from the database, not listed by hand), in a stable order. */
async function snapshot(db: Db): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const table of await tableNames(db)) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    out.set(table, rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).sort());
  }
  return out;
}

function assertSameRows(restored: Map<string, string[]>, original: Map<string, string[]>): void {
  assert.deepEqual([...restored.keys()], [...original.keys()], 'the same tables');
  for (const [table, rows] of original) assert.deepEqual(restored.get(table), rows, `the same rows in ${table}`);
  // The comparison compared something: the log and the content are there.
  assert.ok((original.get('transparency_entries') ?? []).length > 2, 'the log has entries');
  assert.ok((original.get('commitments') ?? []).length > 0, 'the plan has commitments');
  assert.ok((original.get('news_items') ?? []).some((r) => r.includes('Backed up, corrected')));
}

describe('besa backup and restore [sqlite]', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'besa-backup-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('copies a live database consistently and restores it into an empty one with the same rows and a log that verifies', async () => {
    const source = openDatabase({ sqlitePath: join(dir, 'besa.sqlite') });
    try {
      await migrateToLatest(source.db, source.dialect);
      await fill(source.db);
      // The server's connection stays open (online backup): the copy is made by another connection.
      const backup = await backupSqlite(join(dir, 'besa.sqlite'), join(dir, 'backup.sqlite'));
      assert.equal(statSync(join(dir, 'backup.sqlite')).mode & 0o777, 0o600, 'a backup is readable by its owner only');
      assert.equal(backup.check.integrity, 'ok');
      assert.equal(backup.check.ok, true);
      assert.ok(backup.bytes > 0);
      assert.equal(existsSync(join(dir, 'backup.sqlite.partial')), false);
      await assert.rejects(backupSqlite(join(dir, 'besa.sqlite'), join(dir, 'backup.sqlite')), BackupError, 'never overwrites a file');

      const restoredResult = await restoreSqlite(join(dir, 'backup.sqlite'), join(dir, 'restored.sqlite'));
      assert.equal(restoredResult.check.ok, true);
      assert.deepEqual(restoredResult.check.migrated, [], 'the backup was of the current schema');
      const restored = openDatabase({ sqlitePath: join(dir, 'restored.sqlite') });
      try {
        assertSameRows(await snapshot(restored.db), await snapshot(source.db));
        const log = await verifyTransparencyLog(restored.db);
        assert.equal(log.ok, true);
        assert.ok(log.treeSize > 2);
      } finally {
        await restored.destroy();
      }
      // A database that holds data is never overwritten by a restore.
      await assert.rejects(restoreSqlite(join(dir, 'backup.sqlite'), join(dir, 'besa.sqlite')), /already holds a database/);
    } finally {
      await source.destroy();
    }
  });

  it('refuses a file that is not a SQLite database', async () => {
    writeFileSync(join(dir, 'junk.sqlite'), 'not a database, just text long enough to be read as a header'.repeat(20));
    await assert.rejects(restoreSqlite(join(dir, 'junk.sqlite'), join(dir, 'other.sqlite')), BackupError);
    assert.equal(existsSync(join(dir, 'other.sqlite')), false);
  });
});

describe('besa backup and restore [postgres]', () => {
  let dir: string;
  let source: TestDatabase;
  const target = `besa_restore_${process.pid}_${Date.now()}`;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'besa-backup-'));
    source = await openTestDatabase('postgres');
    await admin(`create database ${target}`);
  });
  after(async () => {
    await source?.destroy();
    await admin(`drop database if exists ${target} with (force)`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('dumps with pg_dump and restores into an empty database with the same rows and a log that verifies', async () => {
    await fill(source.db);
    const file = join(dir, 'besa.dump');
    const backup = await backupPostgres(source.url!, file);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'a backup is readable by its owner only');
    assert.ok(backup.bytes > 0);
    await assert.rejects(backupPostgres(source.url!, file), BackupError, 'never overwrites a file');

    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${target}`;
    const restoredResult = await restorePostgres(url.toString(), file);
    assert.equal(restoredResult.check.ok, true);
    assert.deepEqual(restoredResult.check.migrated, []);
    const restored = openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
    try {
      assertSameRows(await snapshot(restored.db), await snapshot(source.db));
      const log = await verifyTransparencyLog(restored.db);
      assert.equal(log.ok, true);
      assert.ok(log.treeSize > 2);
      // Besa's connections keep PostgreSQL's durable commits (the server's default): never lowered.
      const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(restored.db);
      assert.notEqual(rows[0]?.synchronous_commit, 'off');
    } finally {
      await restored.destroy();
    }
    // The restored database now holds tables: a second restore is refused.
    await assert.rejects(restorePostgres(url.toString(), file), /already holds \d+ tables/);
  });

  it('never prints or passes a password on the command line', () => {
    const command = pgDumpCommand('postgres://besa:s3cr%40t@db.example:5432/besa', 'out.dump');
    assert.equal(command.env.PGPASSWORD, 's3cr@t');
    assert.ok(!command.argv.join(' ').includes('s3cr'));
    assert.ok(!command.shown.includes('s3cr'));
    assert.match(command.shown, /^PGPASSWORD=\*\*\* pg_dump --format=custom /);
    assert.equal(maskUrl('postgres://besa:s3cr@db.example/besa'), 'postgres://besa:***@db.example/besa');
    // A password given as a parameter goes into the environment too, never on the command line.
    const inQuery = pgDumpCommand('postgres://besa@db.example/besa?password=hunter2&sslmode=require', 'out.dump');
    assert.equal(inQuery.env.PGPASSWORD, 'hunter2');
    assert.ok(!inQuery.argv.join(' ').includes('hunter2'), 'not in the arguments');
    assert.ok(!inQuery.shown.includes('hunter2'), 'not printed');
    assert.match(inQuery.argv.join(' '), /sslmode=require/);
    assert.equal(maskUrl('postgres://db.example/besa?password=hunter2'), 'postgres://db.example/besa?password=***');
  });
});

/** The command itself, as an operator runs it: `besa backup FILE`, `besa restore FILE` (SQLite). */
describe('besa backup and restore on the command line [sqlite]', () => {
  const cli = new URL('../cli.ts', import.meta.url).pathname;
  const besa = (env: Record<string, string>, ...args: string[]) =>
    new Promise<{ code: number; out: string }>((done) => {
      execFile(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, DATABASE_URL: '', ...env } }, (error, stdout, stderr) =>
        done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
      );
    });

  it('backs up, refuses to overwrite, restores into a new file only, and says what it checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'besa-backup-cli-'));
    try {
      const db = join(dir, 'besa.sqlite');
      const source = openDatabase({ sqlitePath: db });
      await migrateToLatest(source.db, source.dialect);
      await seedIfEmpty(source.db);
      await source.destroy();
      const backup = await besa({ BESA_DB: db }, 'backup', join(dir, 'copy.sqlite'));
      assert.equal(backup.code, 0, backup.out);
      assert.match(backup.out, /Backed up .* to .*copy\.sqlite: [\d.]+ (kB|MB) in \d+ ms\./);
      assert.match(backup.out, /PRAGMA integrity_check: ok/);
      assert.match(backup.out, /The transparency log is intact: [1-9]\d* entries/);
      const again = await besa({ BESA_DB: db }, 'backup', join(dir, 'copy.sqlite'));
      assert.equal(again.code, 1);
      assert.match(again.out, /already exists: a backup never overwrites a file/);
      assert.equal((await besa({ BESA_DB: db }, 'backup', join(dir, 'x.sqlite'), '--run')).code, 1, '--run is for PostgreSQL');
      assert.equal((await besa({ BESA_DB: db }, 'restore')).code, 2, 'restore needs its file');

      const restore = await besa({ BESA_DB: join(dir, 'restored.sqlite') }, 'restore', join(dir, 'copy.sqlite'));
      assert.equal(restore.code, 0, restore.out);
      assert.match(restore.out, /Restored .*copy\.sqlite into .*restored\.sqlite/);
      assert.match(restore.out, /The public content equals what the log published last/);
      const over = await besa({ BESA_DB: db }, 'restore', join(dir, 'copy.sqlite'));
      assert.equal(over.code, 1);
      assert.match(over.out, /already holds a database/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('durable commits [sqlite]', () => {
  it('syncs the write-ahead log at every commit (synchronous = FULL)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'besa-sync-'));
    const database = openDatabase({ sqlitePath: join(dir, 'besa.sqlite') });
    try {
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(database.db);
      assert.equal(rows[0]?.synchronous, 2, 'FULL is 2 (NORMAL is 1)');
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
      assert.equal(mode.rows[0]?.journal_mode, 'wal');
    } finally {
      await database.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
