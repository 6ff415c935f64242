import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/db.js';
import { actorWith } from '../../../test/actors.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { insertReportingFixture, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { generateCycles, publishProgressUpdate, saveProgressUpdate } from '../reporting/index.js';
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
  assert.match(res.body, /<span class="fallback" lang="sq">Çështjet e buxhetit &lt;script><\/span>/);
  assert.doesNotMatch(res.body, /<script>/);
  assert.match(res.body, /class="fallback-notice"/);
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

test('control characters in a query are dropped, never shown back', async () => {
  const res = await app.inject('/en/search?q=' + encodeURIComponent('cesh\u0000tjet\u0085'));
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /1 result for “ceshtjet/);
  assert.doesNotMatch(res.body, /[\u0000\u0085]/);
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

/** The result items of a search page, each as its HTML. */
function resultItems(body: string): string[] {
  return body.split('<li class="result ').slice(1).map((part) => part.slice(0, part.indexOf('</li>')));
}

for (const dialect of DIALECTS) {
  describe(`search page: progress updates and demonstration data [${dialect}]`, () => {
    let t: TestApp;
    let f: ReportingFixture;
    let updateId = 0;

    before(async () => {
      t = await openTestApp(dialect);
      const { db } = t.database;
      f = await insertReportingFixture(db);
      await db.updateTable('milestones').set({ is_demo: 1 }).where('id', '=', f.milestoneIds[1]).execute();
      const coordinator = actorWith('coordinator', { userId: f.users.coordinator, jurisdictionId: f.jurisdictionId });
      const holder = actorWith('commitment_holder', { userId: f.users.holder, jurisdictionId: f.jurisdictionId, institutionId: f.leadId });
      await generateCycles(db, coordinator, f.planId);
      const cycles = (await sql<{ id: number }>`select id from reporting_cycles where action_plan_id = ${f.planId} order by number`.execute(db)).rows;
      const input = (cycle: number, word: string, submit: boolean) => ({
        cycleId: cycles[cycle]!.id,
        commitmentId: f.commitmentId,
        locale: 'en' as const,
        summary: '',
        items: [{ milestoneId: f.milestoneIds[0], status: 'in_progress', completion: 'limited', narrative: `Hearings held ${word}`, obstacles: [], obstacleNote: '', links: [] }],
        files: [],
        removeFileIds: [],
        submit,
        formToken: null,
      });
      const published = await saveProgressUpdate(db, holder, input(0, 'Përgjegjësia', true));
      await publishProgressUpdate(db, coordinator, { updateId: published.id });
      updateId = published.id;
      await saveProgressUpdate(db, holder, input(1, 'draftonlyword', false));
      await saveProgressUpdate(db, holder, input(2, 'submittedonlyword', true));
      await refreshSearchDocuments(db, f.jurisdictionId);
    });

    after(async () => {
      await t?.close();
    });

    test('a published update is listed with its kind, title and a link to its place on the commitment page', async () => {
      const res = await t.app.inject('/en/search?q=' + encodeURIComponent('pergjegjesia'));
      assert.equal(res.statusCode, 200);
      const items = resultItems(res.body);
      assert.equal(items.length, 1);
      const path = `/en/gjakova/plans/2024-2025/commitments/XKGJA0001#update-${updateId}-${f.milestoneIds[0]}`;
      assert.ok(items[0]!.includes(`href="${path}"`), items[0]);
      assert.match(items[0]!, /<span class="tag">Progress update<\/span>/);
      assert.match(items[0]!, /Milestone 1 \(Cycle 1\)/);
      assert.doesNotMatch(res.body, /tag-demo|demo-banner/);
      // The anchor is on the commitment page, where the timeline shows the update.
      const page = await t.app.inject(path.split('#')[0]!);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(`id="${path.split('#')[1]}"`));
      const sq = await t.app.inject('/sq/search?q=pergjegjesia');
      assert.match(sq.body, /<span class="tag">Raport progresi<\/span>/);
      // The milestone's title is in English only: shown as a marked fallback with its lang, the
      // page's one notice at the top (a screen reader's link name is the title alone).
      assert.match(sq.body, /<span class="fallback" lang="en">Milestone 1 \(Cycle 1\)<\/span><\/a>/);
      assert.match(sq.body, /class="fallback-notice"/);
    });

    test('drafts and submitted updates are not found', async () => {
      for (const word of ['draftonlyword', 'submittedonlyword']) {
        const res = await t.app.inject(`/en/search?q=${word}`);
        assert.equal(res.statusCode, 200);
        assert.match(res.body, new RegExp(`No results for “${word}”`));
      }
    });

    test('a demonstration milestone is labelled as on every other page; a real one is not', async () => {
      const res = await t.app.inject('/en/search?q=milestone&kind=milestone');
      assert.equal(res.statusCode, 200);
      const items = resultItems(res.body);
      assert.equal(items.length, 2);
      const demo = items.find((i) => i.includes('Milestone 2'));
      const real = items.find((i) => i.includes('Milestone 1'));
      assert.match(demo ?? '', /<span class="tag tag-demo">demonstration data<\/span>/);
      assert.doesNotMatch(real ?? '', /tag-demo/);
      assert.match(res.body, /class="demo-banner"/);
      const fr = await t.app.inject('/fr/search?q=milestone&kind=milestone');
      assert.match(fr.body, /<span class="tag tag-demo">données de démonstration<\/span>/);
      // Without the demonstration milestone among the results, no label and no banner.
      const one = await t.app.inject('/en/search?q=' + encodeURIComponent('milestone 1'));
      assert.equal(resultItems(one.body).length, 1);
      assert.doesNotMatch(one.body, /tag-demo|demo-banner/);
    });
  });
}
