import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { seedIfEmpty } from '../../db/seeds/index.js';
import { searchTermVariants } from '../../lib/fold.js';
import { DIALECTS, describeEachDatabase } from '../../../test/db.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { matchExpression, searchDocuments } from './repository.js';
import { stemWord } from './stem.js';

/** Issue 9, part 4: search knows Albanian and Serbian endings, and codes typed in Cyrillic. */

const CODE_PATH = '/gjakova/plans/2024-2025/commitments/XKGJA0001';

test('the stemmer strips Albanian and Serbian case endings, never codes or short words', () => {
  for (const word of ['gjakova', 'gjakove', 'gjakoves', 'gjakoven', 'gjakovise']) assert.equal(stemWord(word), 'gjakov', word);
  for (const word of ['sherbimet', 'sherbimeve', 'sherbimi', 'sherbimit']) assert.equal(stemWord(word), 'sherbim', word);
  for (const word of ['komuna', 'komunes', 'komunen', 'komunat', 'komunave']) assert.equal(stemWord(word), 'komun', word);
  for (const word of ['dakovica', 'dakovici', 'dakovicu', 'dakovicom']) assert.equal(stemWord(word), 'dakovic', word);
  // Short words keep three letters: zyrës and zyrën find Zyra.
  for (const word of ['zyra', 'zyres', 'zyren', 'zyrat']) assert.equal(stemWord(word), 'zyr', word);
  for (const word of ['xkgja0001', '2024', 'plan', 'kod', 'uji', 'ujit', 'i']) assert.equal(stemWord(word), word, word);
});

test('match expressions: a stemmed word matches as a prefix, other spellings as alternatives, both databases alike', () => {
  assert.equal(matchExpression('sqlite', ['gjakoves']), '"gjakov"*');
  assert.equal(matchExpression('postgres', ['gjakoves']), 'gjakov:*');
  // Unstemmed words other than the last still match whole words, as before.
  assert.equal(matchExpression('sqlite', ['plan', 'gjakove']), '"plan" "gjakov"*');
  assert.equal(matchExpression('postgres', ['plan', 'gjakove']), 'plan & gjakov:*');
  assert.equal(matchExpression('sqlite', [['hkgja0001', 'xkgja0001'], 'plan']), '("hkgja0001" OR "xkgja0001") "plan"*');
  assert.equal(matchExpression('postgres', [['hkgja0001', 'xkgja0001'], 'plan']), '(hkgja0001 | xkgja0001) & plan:*');
  assert.equal(matchExpression('postgres', [['a"b', ''], []]), 'ab:*');
});

/** The README's search examples: "`typed` finds `word`" pairs, read from README.md so it cannot drift. */
function readmeExamples(): [string, string][] {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  return [...readme.matchAll(/`([^`\n]+)` finds `([^`\n]+)`/g)].map((m) => [m[1]!, m[2]!]);
}

describeEachDatabase('search on the shipped Gjakova data knows Albanian and Serbian endings and Cyrillic codes', (get) => {
  const paths = async (q: string) => (await searchDocuments(get().db, { terms: searchTermVariants(q) })).hits.map((h) => h.path).sort();

  before(async () => {
    assert.equal(await seedIfEmpty(get().db), true);
  });

  test('Gjakovë, Gjakovës, Gjakovën and gjakova find the same Gjakova results', async () => {
    const expected = await paths('gjakova');
    assert.ok(expected.includes('/gjakova'), `jurisdiction found: ${expected.join(', ')}`);
    assert.ok(expected.some((p) => p.startsWith('/gjakova/plans/')), `plan found: ${expected.join(', ')}`);
    for (const q of ['Gjakovë', 'Gjakovës', 'Gjakovën', 'GJAKOVËS', 'gjakoves', 'Gjakova']) assert.deepEqual(await paths(q), expected, q);
  });

  test('Serbian typed without diacritics or inflected finds Đakovica', async () => {
    const expected = await paths('Đakovica');
    assert.ok(expected.includes('/gjakova'), expected.join(', '));
    for (const q of ['dakovica', 'djakovica', 'Đakovici', 'dakovicu', 'Ђаковици']) assert.deepEqual(await paths(q), expected, q);
  });

  test('an inflected Albanian word finds its other forms, and typing the start of a word still does', async () => {
    const expected = await paths('shërbimeve');
    assert.ok(expected.length > 0);
    for (const q of ['sherbimet', 'shërbimi', 'sherbim', 'shërbime', 'sherbimev']) assert.deepEqual(await paths(q), expected, q);
    // Several words: each must match.
    assert.deepEqual(await paths('qytetarët komunës'), await paths('qytetarëve komuna'));
    assert.deepEqual(await paths('gjakovës zzzzz'), []);
  });

  test('every search example of the README finds what it promises on the shipped data', async () => {
    const examples = readmeExamples();
    assert.ok(examples.length >= 4, `examples found in README.md: ${JSON.stringify(examples)}`);
    for (const [typed, word] of examples) {
      const promised = await paths(word);
      const found = await paths(typed);
      assert.ok(promised.length > 0, `the shipped data holds ${word}`);
      for (const path of promised) assert.ok(found.includes(path), `${typed} finds ${word} (${path}); found ${found.join(', ')}`);
    }
  });

  test('a code typed in Cyrillic finds the commitment, as the Latin code does', async () => {
    for (const q of ['XKGJA0001', 'xkgja0001', 'ХКГЈА0001', 'хкгја0001', 'XКГЈА0001']) {
      const found = await searchDocuments(get().db, { terms: searchTermVariants(q) });
      assert.equal(found.hits[0]?.path, CODE_PATH, `${q}: ${found.hits.map((h) => h.path).join(', ')}`);
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`the search page with inflected words and Cyrillic codes [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(dialect);
      await seedIfEmpty(t.database.db);
    });
    after(async () => t.close());

    test('the Serbian Cyrillic hint shows the code in Latin, and searching for it in Cyrillic finds it', async () => {
      const page = await t.app.inject({ url: '/sr-Cyrl/search' });
      assert.equal(page.statusCode, 200);
      const hint = /<p class="hint" id="hint-q">([^<]*)<\/p>/.exec(page.body)?.[1] ?? '';
      assert.match(hint, /XKGJA0001/, hint);
      assert.doesNotMatch(hint, /ХКГЈА/, hint);
      assert.match(hint, /\p{Script=Cyrillic}/u, `the hint is in Cyrillic: ${hint}`);
      for (const q of ['XKGJA0001', 'ХКГЈА0001']) {
        const res = await t.app.inject({ url: `/sr-Cyrl/search?q=${encodeURIComponent(q)}` });
        assert.equal(res.statusCode, 200);
        assert.ok(res.body.includes(`href="/sr-Cyrl${CODE_PATH}"`), q);
      }
    });

    test('Gjakovë on the Albanian search page finds Gjakova', async () => {
      const res = await t.app.inject({ url: `/sq/search?q=${encodeURIComponent('Gjakovë')}` });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /href="\/sq\/gjakova"/);
    });
  });
}
