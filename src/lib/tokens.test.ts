import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { hashToken, newToken } from './tokens.js';

test('tokens are 32 random URL-safe bytes, stored as their SHA-256 in hex (the formats already stored)', () => {
  const a = newToken();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, newToken());
  assert.equal(hashToken('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(hashToken('ë'), createHash('sha256').update('ë').digest('hex'), 'UTF-8, as before');
});
