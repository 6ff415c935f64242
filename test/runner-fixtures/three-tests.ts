// Two tests that pass and one skipped, in a suite: scripts/count-reporter.mjs counts 2 + 1 skip.
import { describe, test } from 'node:test';

describe('a suite', () => {
  test('one', () => {});
  test('two', () => {});
  test.skip('skipped', () => {});
});
