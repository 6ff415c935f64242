import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { seedIfEmpty } from '../../db/seeds/index.js';
import { FOLD_VERSION, searchTerms } from '../../lib/fold.js';
import { DIALECTS } from '../../../test/db.js';
import { describeEachDatabase } from '../../../test/db.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { reindexIfFoldChanged } from './indexer.js';
import { searchDocuments } from './repository.js';

/** Serbian Latin typed without diacritics finds Gjakova's pages (issue 8): đ folds to d on the index and the query. */
describeEachDatabase('search folds đ to d on Gjakova’s seeded pages', (get) => {
  const paths = async (q: string) => (await searchDocuments(get().db, { terms: searchTerms(q) })).hits.map((h) => h.path).sort();

  before(async () => {
    assert.equal(await seedIfEmpty(get().db), true);
  });

  test('a seed builds its documents with the current folding: the next start has nothing to rebuild', async () => {
    const { db } = get();
    assert.equal((await db.selectFrom('cache_state').select('search_fold_version').executeTakeFirstOrThrow()).search_fold_version, FOLD_VERSION);
    assert.equal(await reindexIfFoldChanged(db), false);
  });

  test('dakovica, Dakovica and djakovica find what Đakovica and Ђаковица find: the jurisdiction and its plan', async () => {
    const expected = await paths('Đakovica');
    assert.ok(expected.includes('/gjakova'), `jurisdiction found: ${expected.join(', ')}`);
    assert.ok(expected.some((p) => p.startsWith('/gjakova/plans/')), `plan found: ${expected.join(', ')}`);
    for (const q of ['dakovica', 'Dakovica', 'DAKOVICA', 'djakovica', 'Ђаковица', 'ђаковица', 'dakov']) assert.deepEqual(await paths(q), expected, q);
  });

  test('documents folded by an older version are rebuilt once on start, then left alone', async () => {
    const { db } = get();
    // Documents as the previous folding (đ to dj) stored them, and its version.
    await sql`update search_documents set body = replace(body, 'dakovica', 'djakovica')`.execute(db);
    await db.updateTable('cache_state').set({ search_fold_version: 1 }).where('id', '=', 1).execute();
    assert.deepEqual(await paths('dakovica'), [], 'old documents do not match the new folding');
    const before = (await db.selectFrom('cache_state').select('version').executeTakeFirstOrThrow()).version;

    assert.equal(await reindexIfFoldChanged(db), true);
    assert.ok((await paths('dakovica')).includes('/gjakova'));
    const state = await db.selectFrom('cache_state').select(['version', 'search_fold_version']).executeTakeFirstOrThrow();
    assert.equal(state.search_fold_version, FOLD_VERSION);
    // Cached pages are not trusted across the rebuild.
    assert.ok(state.version > before);

    assert.equal(await reindexIfFoldChanged(db), false, 'nothing to do at the current version');
  });
});

for (const dialect of DIALECTS) {
  describe(`the search page finds Gjakova by dakovica [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(dialect);
      await seedIfEmpty(t.database.db);
    });
    after(async () => t.close());

    test('in Serbian Latin and Cyrillic', async () => {
      for (const locale of ['sr-Latn', 'sr-Cyrl']) {
        const res = await t.app.inject({ url: `/${locale}/search?q=dakovica` });
        assert.equal(res.statusCode, 200);
        assert.match(res.body, new RegExp(`href="/${locale}/gjakova"`), locale);
      }
    });
  });
}
