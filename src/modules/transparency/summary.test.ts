import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publicChanges } from './summary.js';

test('publicChanges lists the changed fields with their new values, JSON text parsed', () => {
  assert.deepEqual(publicChanges(undefined, { slug: 'a', name: '{"en":"A"}', website: null, skipped: undefined }), {
    changed: ['slug', 'name', 'website'],
    values: { slug: 'a', name: { en: 'A' }, website: null },
  });
  const before = { slug: 'a', name: '{"en":"A","sq":"A"}', ogp_values: '["x","y"]', weight: 1 };
  assert.deepEqual(publicChanges(before, { slug: 'a', name: '{"sq":"A","en":"A"}', ogp_values: '["y","x"]', weight: 2 }), {
    changed: ['ogp_values', 'weight'],
    values: { ogp_values: ['y', 'x'], weight: 2 },
  });
  assert.deepEqual(publicChanges(before, { slug: 'a' }), { changed: [], values: {} });
  // Text that merely starts like JSON stays text.
  assert.deepEqual(publicChanges(undefined, { title: '[draft] plan' }).values, { title: '[draft] plan' });
});
