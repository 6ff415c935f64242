import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { htmlErrors } from '../../../test/html.js';
import { SYSTEM } from '../audit/index.js';
import { seedIfEmpty } from '../../db/seeds/index.js';
import { seedDemo } from '../../db/seeds/demo.js';
import { verifyPublishedHistory } from '../transparency/index.js';
import { seedDemoIrmAssessment } from './demo.js';
import { importOgp } from './ogp.js';
import { ogpCsv } from './test-files.js';

/** The public commitment page shows the IRM assessment imported from OGP's data, in every locale, as valid HTML. */
describe('interop: the IRM assessment on the commitment page', () => {
  let t: TestApp;
  before(async () => {
    t = await openTestApp();
    await importOgp(t.database.db, SYSTEM, ogpCsv(), { fileName: 'ogp.csv' });
  });
  after(async () => t.close());

  const page = async (locale: string, code: string, plan = '2018-2020') => {
    const res = await t.app.inject({ url: `/${locale}/albania/plans/${plan}/commitments/${code}` });
    assert.equal(res.statusCode, 200, `${locale} ${code}`);
    return res.body;
  };

  test('each rating with its label; ND, NR, N/A and an empty cell each in words', async () => {
    const body = await page('en', 'AL0002');
    assert.match(body, /<h2 id="irm-assessment">IRM assessment, from OGP’s data<\/h2>/);
    assert.match(body, /<dt>Verifiable<\/dt><dd>No<\/dd>/);
    assert.match(body, /<dt>Potential impact<\/dt><dd>Minor<\/dd>/);
    assert.match(body, /<dt>Potential for results<\/dt><dd class="missing">Not rated<\/dd>/);
    assert.match(body, /<dt>Did it open government\? \(overall\)<\/dt><dd class="missing">Not applicable<\/dd>/);
    assert.match(body, /<dt>Early results<\/dt><dd class="missing">Not in OGP’s data<\/dd>/);
    assert.match(await page('en', 'AL0001'), /<dt>Early results<\/dt><dd class="missing">No data<\/dd>/);
    assert.doesNotMatch(await page('en', 'AL0050', '2020-2022'), /irm-assessment/, 'no section without an assessment');
  });

  test('the commitment’s history lists the imported assessment as a published change', async () => {
    const id = (await t.database.db.selectFrom('commitments').select('id').where('code', '=', 'AL0002').executeTakeFirstOrThrow()).id;
    const res = await t.app.inject({ url: `/en/history/commitment/${id}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /\(2 published changes\)/, 'created, then its IRM assessment');
    assert.deepEqual(await htmlErrors(res.body), []);
  });

  test('in every locale, valid HTML', async () => {
    const words = { sq: 'Nuk ka të dhëna', 'sr-Latn': 'Nema podataka', 'sr-Cyrl': 'Нема података', fr: 'Pas de données', en: 'No data' } as const;
    for (const [locale, noData] of Object.entries(words)) {
      const body = await page(locale, 'AL0001');
      assert.match(body, new RegExp(`<dd class="missing">${noData}</dd>`), locale);
      assert.deepEqual(await htmlErrors(body), [], locale);
    }
  });
});

describe('interop: the demonstration IRM assessment', () => {
  let t: TestApp;
  before(async () => {
    t = await openTestApp();
    await seedIfEmpty(t.database.db);
    await seedDemo(t.database.db);
  });
  after(async () => t.close());

  test('besa seed --demo shows an IRM assessment on Gjakova’s first commitment, marked as demonstration data; again, nothing added', async () => {
    const res = await t.app.inject({ url: '/en/gjakova/plans/2024-2025/commitments/XKGJA0001' });
    assert.equal(res.statusCode, 200);
    const section = /<section aria-labelledby="irm-assessment"[\s\S]*?<\/section>/.exec(res.body)?.[0] ?? '';
    assert.match(section, /class="tag tag-demo"/);
    assert.match(section, /<dt>Potential for results<\/dt><dd class="missing">No data<\/dd>/);
    assert.equal(await seedDemoIrmAssessment(t.database.db, 1, new Date().toISOString()), false);
    assert.equal((await verifyPublishedHistory(t.database.db)).ok, true);
  });
});
