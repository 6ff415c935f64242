import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldForSearch, searchTerms } from './fold.js';

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
