import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldForSearch, searchTerms, searchTermVariants } from './fold.js';

test('folds Albanian diacritics so ceshtje finds çështje', () => {
  assert.equal(foldForSearch('Çështje'), 'ceshtje');
  assert.equal(foldForSearch('çështje'), foldForSearch('ceshtje'));
});

test('folds Serbian Cyrillic and Latin alike', () => {
  assert.equal(foldForSearch('Ђаковица'), 'dakovica');
  assert.equal(foldForSearch('Đakovica'), 'dakovica');
  assert.equal(foldForSearch('ĐAKOVICA'), 'dakovica');
  assert.equal(foldForSearch('Љубљана'), foldForSearch('Ljubljana'));
});

test('Serbian Latin typed without diacritics: đ as d or dj, dž as dz, lj and nj as typed', () => {
  for (const typed of ['dakovica', 'Dakovica', 'djakovica', 'DJAKOVICA']) assert.equal(foldForSearch(typed), foldForSearch('Ђаковица'), typed);
  assert.equal(foldForSearch('Џамија'), foldForSearch('džamija'));
  assert.equal(foldForSearch('džamija'), foldForSearch('dzamija'));
  // The single-code-point digraphs (ǅ, ǉ, ǌ) fold like the two letters.
  assert.equal(foldForSearch('ǅamija'), 'dzamija');
  assert.equal(foldForSearch('ǈubǉana'), foldForSearch('Ljubljana'));
  assert.equal(foldForSearch('ǋegoš'), foldForSearch('Njegoš'));
  assert.equal(foldForSearch('Његош'), 'njegos');
});

test('search terms drop query syntax', () => {
  assert.deepEqual(searchTerms('"open" OR data*'), ['open', 'or', 'data']);
  assert.deepEqual(searchTerms('Đakovica'), ['dakovica']);
});

test('search term variants: a Cyrillic word with digits is a code and also stands for its Latin look-alike', () => {
  // Uppercase, lowercase, and the Latin X a page transliterating XKGJA0001 leaves in place.
  for (const typed of ['ХКГЈА0001', 'хкгја0001', 'XКГЈА0001']) {
    const [variants, ...rest] = searchTermVariants(typed);
    assert.deepEqual(rest, [], typed);
    assert.ok(variants!.includes('xkgja0001'), `${typed}: ${variants!.join(', ')}`);
  }
  // Н, Р, С, В, У read by their look: НРСВУ1 is the code HPCBY1, not the word nrsvu.
  assert.deepEqual(searchTermVariants('НРСВУ1'), [['nrsvu1', 'hpcby1']]);
  // Words without digits are Serbian words: transliterated only.
  assert.deepEqual(searchTermVariants('Ђаковица ХКГЈА'), [['dakovica'], ['hkgja']]);
  // A Latin code has one spelling.
  assert.deepEqual(searchTermVariants('XKGJA0001'), [['xkgja0001']]);
});

test('search term variants give searchTerms’ terms first, without query syntax, at most max of them', () => {
  for (const q of ['"open" OR data*', 'Çështja e Gjakovës', 'Đakovica ǉ NEAR(x) :f & g', 'a b c d e f g h i j k l m n']) {
    assert.deepEqual(
      searchTermVariants(q).map((v) => v[0]),
      searchTerms(q),
      q,
    );
  }
  assert.equal(searchTermVariants('a b c d e f', 3).length, 3);
});
