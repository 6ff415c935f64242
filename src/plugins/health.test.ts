import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrationNames } from '../db/migrate.js';
import { describeEachDatabase, openTestDatabase } from '../../test/db.js';

const config = () => loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv);

describeEachDatabase('/healthz and /readyz', (get) => {
  test('/readyz says ready when the database answers and every migration is applied, and is never cached', async () => {
    const app = await buildApp({ config: config(), database: get() });
    try {
      const res = await app.inject('/readyz');
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, 'ready');
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      assert.equal(res.headers['cache-control'], 'no-store');
      const health = await app.inject('/healthz');
      assert.equal(health.statusCode, 200);
      assert.equal(health.body, 'ok');
    } finally {
      await app.close();
    }
  });

  test('/readyz is 503 with the number of pending migrations when one this version knows was not applied', async () => {
    const { db, dialect } = get();
    const last = migrationNames(dialect).at(-1)!;
    const row = await db.selectFrom('kysely_migration' as never).selectAll().where('name' as never, '=', last as never).executeTakeFirstOrThrow();
    await db.deleteFrom('kysely_migration' as never).where('name' as never, '=', last as never).execute();
    const app = await buildApp({ config: config(), database: get() });
    try {
      const res = await app.inject('/readyz');
      assert.equal(res.statusCode, 503);
      assert.equal(res.body, 'migrations pending: 1 (run besa migrate)');
      assert.equal(res.headers['cache-control'], 'no-store');
      // The process itself is alive: liveness stays green while readiness is not.
      assert.equal((await app.inject('/healthz')).statusCode, 200);
    } finally {
      await db.insertInto('kysely_migration' as never).values(row as never).execute();
      await app.close();
    }
    const again = await buildApp({ config: config(), database: get() });
    try {
      assert.equal((await again.inject('/readyz')).statusCode, 200);
    } finally {
      await again.close();
    }
  });

  test('/readyz is 503 "database unreachable" when the database no longer answers', async () => {
    const database = await openTestDatabase(get().dialect);
    const app = await buildApp({ config: config(), database });
    try {
      await database.destroy();
      const res = await app.inject('/readyz');
      assert.equal(res.statusCode, 503);
      assert.equal(res.body, 'database unreachable');
    } finally {
      await app.close();
    }
  });
});

test('/readyz on a database never migrated says so', async () => {
  const database = openDatabase({ sqlitePath: ':memory:' });
  const app = await buildApp({ config: config(), database });
  try {
    const res = await app.inject('/readyz');
    assert.equal(res.statusCode, 503);
    assert.equal(res.body, 'migrations pending: none applied (run besa migrate)');
  } finally {
    await app.close();
    await database.destroy();
  }
});
