import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { admit, currentKey } from './contribution-limits.js';
import { pdb } from './tables.js';

/** The daily key of the rate limits on both databases: one per UTC day, even when made at once. */

describeEachDatabase('rate-limit keys', (get) => {
  const keys = (day: string) =>
    pdb(get().db)
      .withTables<{ participation_keys: { day: string | null } }>()
      .selectFrom('participation_keys')
      .select(['secret', 'day'])
      .where('day', '=', day)
      .execute();

  test('parallel first requests of a day make one key and all count with it', async () => {
    const { db } = get();
    const now = new Date('2031-03-04T00:00:00.100Z');
    const made = await Promise.all(Array.from({ length: 8 }, () => currentKey(db, now)));
    assert.equal(new Set(made).size, 1, 'every request has the same key');
    assert.equal((await keys('2031-03-04')).length, 1, 'one key stored for the day');
    assert.equal(await currentKey(db, new Date('2031-03-04T23:59:59.000Z')), made[0], 'the whole UTC day');
    assert.notEqual(await currentKey(db, new Date('2031-03-05T00:00:00.000Z')), made[0], 'a new key the next day');
  });

  test('the day is unique: a second key for a day cannot be stored, and the stored one is used', async () => {
    const { db } = get();
    const kdb = pdb(db).withTables<{ participation_keys: { day: string | null } }>();
    await kdb.insertInto('participation_keys').values({ day: '2031-04-01', secret: 'made-by-another-process', created_at: '2031-04-01T00:00:00.000Z' }).execute();
    await assert.rejects(kdb.insertInto('participation_keys').values({ day: '2031-04-01', secret: 'second', created_at: '2031-04-01T00:00:00.001Z' }).execute());
    assert.equal(await currentKey(db, new Date('2031-04-01T00:00:00.002Z')), 'made-by-another-process');
    const at = new Date('2031-04-01T10:00:00.000Z');
    const results = await Promise.all(Array.from({ length: 5 }, () => admit(db, 'test-ip', '198.51.100.1', 3, at)));
    assert.equal(results.filter(Boolean).length, 3, 'parallel requests never get past the limit');
  });
});
