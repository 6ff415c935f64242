import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedDemo, seedIfEmpty } from '../src/db/seeds/index.js';
import { openTestApp, type TestApp } from './app.js';

/**
 * What the bodies, meetings and reviews publish is found by the search page, through their
 * manifests' search sources, each result with its kind, linked to its page.
 */
describe('search finds the people\'s side', () => {
  let t: TestApp;
  before(async () => {
    t = await openTestApp('sqlite');
    await seedIfEmpty(t.database.db);
    await seedDemo(t.database.db);
  });
  after(() => t.close());

  const search = async (q: string, kind: string) => {
    const res = await t.app.inject(`/en/search?q=${encodeURIComponent(q)}&kind=${kind}`);
    assert.equal(res.statusCode, 200);
    return [...res.body.matchAll(/<a href="(\/en\/gjakova\/[^"#]*)(#[^"]*)?"/g)].map((m) => m[1]!);
  };

  test('a body by the words of its mandate', async () => {
    const links = await search('transparency forum', 'body');
    assert.ok(links.includes('/en/gjakova/bodies/transparency-forum'), links.join(' '));
  });

  test('a meeting by the words of its minutes', async () => {
    const links = await search('working group open data', 'meeting');
    assert.ok(links.some((l) => /^\/en\/gjakova\/meetings\/\d+$/.test(l)), links.join(' '));
  });

  test('a published monitoring review and a recommendation', async () => {
    const reviews = await search('XKGJA0002', 'review');
    assert.ok(reviews.some((l) => l.startsWith('/en/gjakova/plans/2024-2025/monitoring/2')), reviews.join(' '));
    const recommendations = await search('XKGJA0002', 'recommendation');
    assert.ok(recommendations.some((l) => l.startsWith('/en/gjakova/plans/2024-2025/monitoring/2')), recommendations.join(' '));
  });
});
