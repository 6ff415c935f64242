import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formulaSafe } from './spreadsheet.js';

test('a cell that a spreadsheet would read as a formula gets a leading apostrophe; others stay as they are', () => {
  for (const start of ['=', '+', '-', '@', '\t', '\r']) assert.equal(formulaSafe(`${start}SUM(A1)`), `'${start}SUM(A1)`);
  for (const plain of ['Gjakovë', '3 - 4', 'a=b', '', "'=already"]) assert.equal(formulaSafe(plain), plain);
});
