import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../test/db.js';
import { openDatabase, precompiled, type DatabaseHandle, type Executor } from './database.js';
import { migrateToLatest } from './migrate.js';

const NOW = '2026-01-01T00:00:00.000Z';

async function addJurisdiction(db: Executor, slug: string, name: string): Promise<void> {
  await db.insertInto('jurisdictions').values({ slug, name: JSON.stringify({ en: name }), kind: 'municipality', country_code: 'XK', description: '{}', created_at: NOW, updated_at: NOW }).execute();
}

const bySlugs = (db: Executor, slugs: string[], prefix: string) =>
  db.selectFrom('jurisdictions').select(['slug', 'name']).where('slug', 'in', slugs).where('slug', 'like', prefix).orderBy('slug');

describeEachDatabase('precompiled queries', (get) => {
  test('give the rows Kysely gives, for any values and list lengths, compiling once per length', async () => {
    const { db } = get();
    for (const slug of ['a-one', 'a-two', 'a-three', 'b-one']) await addJurisdiction(db, slug, slug.toUpperCase());
    let builds = 0;
    const query = precompiled((executor: Executor, slugs: string[], prefix: string) => {
      builds++;
      return bySlugs(executor, slugs, prefix);
    });
    const cases: [string[], string][] = [
      [['a-one', 'a-two'], 'a-%'],
      [['a-three', 'b-one'], 'a-%'],
      [['a-one', 'b-one'], '%'],
      [['a-one', 'a-two', 'b-one'], '%'],
      [['b-one'], 'b-%'],
      [['a-three', 'a-two', 'b-one'], 'a-%'],
    ];
    for (const [slugs, prefix] of cases) {
      assert.deepEqual(await query(db, slugs, prefix), await bySlugs(db, slugs, prefix).execute(), `${slugs.join(',')} ${prefix}`);
    }
    // Lists of 2, 3 and 1 values: three shapes, each built once.
    assert.equal(builds, 3);
    // A transaction of the same database uses the same compiled query.
    await db.transaction().execute(async (trx) => {
      assert.deepEqual(await query(trx, ['a-two', 'b-one'], '%'), [
        { slug: 'a-two', name: '{"en":"A-TWO"}' },
        { slug: 'b-one', name: '{"en":"B-ONE"}' },
      ]);
    });
    assert.equal(builds, 3);
  });

  test('refuse a builder that uses an argument other than as a value', async () => {
    const { db } = get();
    const query = precompiled((executor: Executor, all: boolean) =>
      all ? executor.selectFrom('jurisdictions').select('slug') : executor.selectFrom('jurisdictions').select('slug').where('id', '<', 0),
    );
    await assert.rejects(query(db, false), /1 of 1 arguments are not parameters/);
  });
});

describe('SQLite reads of one turn of the event loop share a read transaction', () => {
  let dir: string;
  let reader: DatabaseHandle;
  let writer: DatabaseHandle;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'besa-db-'));
    reader = openDatabase({ sqlitePath: join(dir, 'shared.sqlite') });
    await migrateToLatest(reader.db, reader.dialect);
    // Another process, as the command line is while the server runs.
    writer = openDatabase({ sqlitePath: join(dir, 'shared.sqlite') });
  });
  after(async () => {
    await reader.destroy();
    await writer.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  const count = async (db: Executor) => (await db.selectFrom('jurisdictions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  test("one snapshot per turn: another connection's commit is seen from the next turn on", async () => {
    await nextTurn();
    const first = await count(reader.db);
    await addJurisdiction(writer.db, 'other-process', 'Other');
    // Same turn: the shared read transaction still holds the snapshot of the first read.
    assert.equal(await count(reader.db), first);
    assert.equal(await reader.readContentVersion(), await reader.readContentVersion());
    await nextTurn();
    assert.equal(await count(reader.db), first + 1);
  });

  test('a write or a transaction in the same turn runs as without it, and sees its own changes', async () => {
    await nextTurn();
    const first = await count(reader.db);
    await addJurisdiction(reader.db, 'same-turn', 'Same turn');
    assert.equal(await count(reader.db), first + 1);
    await count(reader.db);
    await reader.db.transaction().execute(async (trx) => addJurisdiction(trx, 'in-transaction', 'In transaction'));
    assert.equal(await count(reader.db), first + 2);
    // Committed, not held in a transaction: the other connection sees both at once.
    assert.equal(await count(writer.db), first + 2);
  });

  test('a command that reads then writes is never refused because another process wrote in between (BEGIN IMMEDIATE)', async () => {
    // A short busy timeout for the other process: it is the one that must wait its turn.
    await sql`pragma busy_timeout = 50`.execute(writer.db);
    try {
      await nextTurn();
      const other = await reader.db.transaction().execute(async (trx) => {
        await count(trx);
        const outcome = await addJurisdiction(writer.db, 'in-between', 'In between').then(
          () => 'committed',
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        );
        // Deferred, this write would fail at once ("database is locked") had the other one committed.
        await addJurisdiction(trx, 'read-then-write', 'Read then write');
        return outcome;
      });
      assert.match(other, /locked|busy/i, 'the other process waits for the command to end');
      await nextTurn();
      assert.equal(await reader.db.selectFrom('jurisdictions').select('slug').where('slug', '=', 'read-then-write').executeTakeFirst().then((r) => r?.slug), 'read-then-write');
    } finally {
      await sql`pragma busy_timeout = 5000`.execute(writer.db);
    }
  });

  test("the content version never shows a command's uncommitted bump, even one rolled back", async () => {
    const before = await reader.readContentVersion();
    let bumped!: () => void;
    const inside = new Promise<void>((resolve) => (bumped = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const command = reader.db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('cache_state').set({ version: before + 1 }).where('id', '=', 1).execute();
        bumped();
        await held;
        throw new Error('rolled back');
      })
      .catch(() => 'rolled back');
    await inside;
    // The command's transaction is open, its bump not committed: the read waits for it to end.
    const read = reader.readContentVersion();
    release();
    assert.equal(await command, 'rolled back');
    assert.equal(await read, before);
    assert.equal(await reader.readContentVersion(), before);
  });
});
