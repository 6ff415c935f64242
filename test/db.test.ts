import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readContentVersion } from '../src/db/content-version.js';
import { runCommand, SYSTEM } from '../src/modules/audit/index.js';
import { describeEachDatabase } from './db.js';

describeEachDatabase('database foundation', (get) => {
  test('migrations create the schema and a command bumps the content version with its audit event', async () => {
    const { db } = get();
    const before = await readContentVersion(db);
    await runCommand(db, SYSTEM, async (trx, audit) => {
      await audit.record('test.happened', 'test', 1, { note: 'x' });
    });
    assert.equal(await readContentVersion(db), before + 1);
    const events = await db.selectFrom('audit_events').selectAll().execute();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.action, 'test.happened');
  });

  test('a failed command rolls back its audit event and leaves the version alone', async () => {
    const { db } = get();
    const before = await readContentVersion(db);
    await assert.rejects(
      runCommand(db, SYSTEM, async (_trx, audit) => {
        await audit.record('test.failed', 'test', 2);
        throw new Error('boom');
      }),
    );
    assert.equal(await readContentVersion(db), before);
    const failed = await db.selectFrom('audit_events').selectAll().where('action', '=', 'test.failed').execute();
    assert.equal(failed.length, 0);
  });

  test('a command that changes nothing public keeps the content version (and the cached pages); one that publishes bumps it anyway', async () => {
    const { db } = get();
    const before = await readContentVersion(db);
    await runCommand(db, SYSTEM, async (_trx, audit) => {
      await audit.record('test.private', 'test', 3);
      audit.nothingPublic();
    });
    assert.equal(await readContentVersion(db), before, 'nothing public: the version stays');
    assert.equal((await db.selectFrom('audit_events').selectAll().where('action', '=', 'test.private').execute()).length, 1, 'still audited');
    await runCommand(db, SYSTEM, async (_trx, audit) => {
      audit.nothingPublic();
      await audit.publish('test.published', 'test', 4, { note: 'public' });
    });
    assert.equal(await readContentVersion(db), before + 1, 'a publication always bumps');
  });
});
