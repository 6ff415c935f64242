import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldForSearch, searchTerms } from './fold.js';

test('folds Albanian diacritics so ceshtje finds çështje', () => {
  assert.equal(foldForSearch('Çështje'), 'ceshtje');
  assert.equal(foldForSearch('çështje'), foldForSearch('ceshtje'));
});

test('folds Serbian Cyrillic and Latin alike', () => {
  assert.equal(foldForSearch('Ђаковица'), 'djakovica');
  assert.equal(foldForSearch('Đakovica'), 'djakovica');
  assert.equal(foldForSearch('Љубљана'), foldForSearch('Ljubljana'));
});

test('search terms drop query syntax', () => {
  assert.deepEqual(searchTerms('"open" OR data*'), ['open', 'or', 'data']);
});
