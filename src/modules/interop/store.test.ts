import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { loadExternalIds } from './store.js';

/** The prefix given to loadExternalIds is matched as text: its `_` and `%` are not wildcards. */
describeEachDatabase('interop: external identifiers by prefix', (get) => {
  test('a prefix holding LIKE wildcards finds exactly the keys that start with it', async () => {
    const { db } = get();
    const now = new Date().toISOString();
    const keys = ['a_b:1', 'axb:1', 'a%c:1', 'a%c-not:1', 'other:1'];
    await db
      .insertInto('external_ids')
      .values(keys.map((external_key, i) => ({ source: 'decidim', external_key, entity_type: 'commitment', entity_id: i + 1, data: '{}', origin: 'test', updated_at: now })))
      .execute();
    assert.deepEqual([...(await loadExternalIds(db, 'decidim', 'a_b:')).keys()], ['a_b:1']);
    assert.deepEqual([...(await loadExternalIds(db, 'decidim', 'a%c:')).keys()], ['a%c:1']);
    assert.equal((await loadExternalIds(db, 'decidim')).size, keys.length);
    assert.equal((await loadExternalIds(db, 'ogp')).size, 0);
  });
});
