import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTranslatable, parseTranslatableShared } from './translatable.js';

test('parseTranslatableShared gives what parseTranslatable gives, one frozen object per stored text', () => {
  for (const json of ['{"en":"Open data","sq":"Të dhëna të hapura","fr":" "}', '{"sr-Latn":"Otvoreni podaci"}', '[]', 'not json', '', null, undefined]) {
    assert.deepEqual(parseTranslatableShared(json), parseTranslatable(json), String(json));
  }
  const json = '{"en":"Budget transparency","sq":"Transparenca e buxhetit"}';
  const first = parseTranslatableShared(json);
  // The same text read again (a new string from the database) gives the very same object.
  assert.equal(parseTranslatableShared(JSON.stringify(JSON.parse(json))), first);
  assert.ok(Object.isFrozen(first));
  assert.throws(() => {
    (first as Record<string, string>).en = 'changed';
  }, TypeError);
  assert.equal(parseTranslatableShared(json).en, 'Budget transparency');
});
