import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { openTestDatabase, type TestDatabase } from '../../../test/db.js';
import { refreshSearchDocuments } from './indexer.js';

const NOW = '2026-01-01T00:00:00.000Z';
let database: TestDatabase;
let app: FastifyInstance;

before(async () => {
  database = await openTestDatabase('sqlite');
  const { db } = database;
  const j = await db
    .insertInto('jurisdictions')
    .values({
      slug: 'gjakova',
      name: JSON.stringify({ sq: 'Komuna e Gjakovës', en: 'Municipality of Gjakova' }),
      kind: 'local',
      country_code: 'XK',
      description: '{}',
      website: null,
      created_at: NOW,
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const plan = await db
    .insertInto('action_plans')
    .values({
      jurisdiction_id: j.id,
      slug: '2024-2025',
      title: JSON.stringify({ sq: 'Plani i veprimit 2024–2025' }),
      starts_on: '2024-01-01',
      ends_on: '2025-12-31',
      submitted_on: null,
      status: 'implementation',
      foreword: '{}',
      cocreation_groups: null,
      cocreation_public_meetings: null,
      cocreation_summary: '{}',
      is_demo: 0,
      created_at: NOW,
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('commitments')
    .values({
      action_plan_id: plan.id,
      code: 'XKGJA0001',
      position: 1,
      title: JSON.stringify({ sq: 'Çështjet e buxhetit <script>', 'sr-Cyrl': 'Буџетска питања' }),
      problem: '{}',
      status_quo: '{}',
      action: '{}',
      contribution: '{}',
      long_term_goal: '{}',
      ogp_values: '[]',
      policy_areas: '[]',
      starts_on: '2024-01-01',
      ends_on: '2025-12-31',
      created_at: NOW,
      updated_at: NOW,
    })
    .execute();
  await refreshSearchDocuments(db, j.id);
  app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as any), database });
  await app.ready();
});

after(async () => {
  await app?.close();
  await database?.destroy();
});

test('an empty search shows just the form', async () => {
  const res = await app.inject('/en/search');
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /text\/html/);
  assert.match(res.body, /<html lang="en"/);
  assert.match(res.body, /<form method="get" action="\/en\/search" role="search"/);
  assert.match(res.body, /<label for="field-q">/);
  assert.match(res.body, /type="search"/);
  assert.doesNotMatch(res.body, /search-results-title/);
  assert.doesNotMatch(res.body, /name="_csrf"/);
});

test('a search lists the result with its kind, title and link', async () => {
  const res = await app.inject('/en/search?q=ceshtjet');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /href="\/en\/gjakova\/plans\/2024-2025\/commitments\/XKGJA0001"/);
  assert.match(res.body, /<span class="tag">Commitment<\/span> <span class="result-code">XKGJA0001<\/span>/);
  assert.match(res.body, /1 result for “ceshtjet”/);
  // The title is shown as a marked fallback and escaped.
  assert.match(res.body, /<span lang="sq">Çështjet e buxhetit &lt;script><\/span>/);
  assert.doesNotMatch(res.body, /<script>/);
  assert.match(res.body, /class="fallback-note"/);
  assert.match(res.body, /value="ceshtjet"/);
});

test('Serbian plural forms and script conversion on the results page', async () => {
  const res = await app.inject('/sr-Latn/search?q=' + encodeURIComponent('budžetska'));
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /1 rezultat za „budžetska”/);
  assert.match(res.body, /Budžetska pitanja/);
  const cyr = await app.inject('/sr-Cyrl/search?q=' + encodeURIComponent('буџетска'));
  assert.match(cyr.body, /<html lang="sr-Cyrl"/);
  assert.match(cyr.body, /Буџетска питања/);
});

test('no results, kind filter and hostile input are answered with a page', async () => {
  const none = await app.inject('/fr/search?q=' + encodeURIComponent('<b>introuvable</b>'));
  assert.equal(none.statusCode, 200);
  assert.match(none.body, /Aucun résultat pour « &lt;b>introuvable&lt;\/b> »/);

  const filtered = await app.inject('/en/search?q=ceshtjet&kind=milestone');
  assert.equal(filtered.statusCode, 200);
  assert.match(filtered.body, /No results for “ceshtjet”/);
  assert.match(filtered.body, /<option value="milestone" selected>/);

  const operators = await app.inject('/en/search?q=' + encodeURIComponent('"a" OR b* NEAR( :*'));
  assert.equal(operators.statusCode, 200);

  const punctuation = await app.inject('/en/search?q=' + encodeURIComponent('"!*'));
  assert.equal(punctuation.statusCode, 200);
  assert.match(punctuation.body, /Enter at least one word or number/);

  const repeated = await app.inject('/en/search?q=ceshtjet&q=other&kind=bogus&jurisdiction=../x');
  assert.equal(repeated.statusCode, 200);
  assert.match(repeated.body, /1 result for “ceshtjet”/);
});

test('an over-long query is cut, not refused', async () => {
  const res = await app.inject('/en/search?q=' + encodeURIComponent('ceshtjet ' + 'x'.repeat(500)));
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /shortened to 200 characters/);
  assert.match(res.body, /maxlength="200"/);
});

test('a malformed query string gives a clean page, not a server error', async () => {
  for (const url of ['/en/search?q=%E0%A4%A', '/en/search?q=%', '/en/search?q=%FF%FE', '/en/search?q[a]=b', '/en/search?kind=%00']) {
    const res = await app.inject(url);
    assert.ok(res.statusCode === 200 || res.statusCode === 400, `${url}: ${res.statusCode}`);
    assert.match(res.body, /<html lang="en"/, url);
  }
});

test('search pages are not served from the page cache', async () => {
  const res = await app.inject('/en/search?q=ceshtjet');
  assert.equal(res.headers['etag'], undefined);
  assert.equal(res.headers['cache-control'], 'no-cache');
});

test('a search matching more than the cap says so and shows the best 50', async () => {
  const { db } = database;
  const j = await db.selectFrom('jurisdictions').select('id').executeTakeFirstOrThrow();
  const rows = Array.from({ length: 1001 }, (_, i) => ({
    doc_key: `bulk:${i}`,
    jurisdiction_id: j.id,
    kind: 'plan',
    title: JSON.stringify({ en: `Bulk plan ${i}` }),
    path: `/gjakova/plans/bulk-${i}`,
    body: `bulkword plan ${i}`,
  }));
  for (let i = 0; i < rows.length; i += 250) await db.insertInto('search_documents').values(rows.slice(i, i + 250)).execute();
  try {
    const res = await app.inject('/en/search?q=bulkword');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Showing the 50 best matches of more than 1,000 for “bulkword”/);
    assert.equal(res.body.match(/<li class="result /g)?.length, 50);
    const sr = await app.inject('/sr-Latn/search?q=bulkword');
    assert.match(sr.body, /Prikazano je 50 najboljih pogodaka od više od 1\.000 za „bulkword”/);
  } finally {
    await db.deleteFrom('search_documents').where('doc_key', 'like', 'bulk:%').execute();
  }
});

test('a long query is shortened in the window title only', async () => {
  const q = 'transparenca buxhetore e komunës për qytetarët dhe shoqërinë civile';
  const res = await app.inject('/en/search?q=' + encodeURIComponent(q));
  const title = /<title>([^<]*)<\/title>/.exec(res.body)?.[1] ?? '';
  assert.ok(title.includes('…'), title);
  assert.ok(title.length < 80, title);
  assert.ok(res.body.includes(`value="${q}"`));
});
