import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedIfEmpty } from '../../db/seeds/index.js';
import { LOCALES, type Locale } from '../../i18n/locales.js';
import { translate } from '../../i18n/index.js';
import { DIALECTS } from '../../../test/db.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { htmlErrors } from '../../../test/html.js';

const PLAN = '/gjakova/plans/2024-2025';
const PAGES = ['/gjakova', PLAN, `${PLAN}/commitments/XKGJA0001`, `${PLAN}/commitments/XKGJA0002`, `${PLAN}/commitments/XKGJA0003`, '/gjakova/institutions/information-office', '/gjakova/institutions/mayors-cabinet'];

/** The month and year as the page's language writes them (what the plan's months must look like). */
function month(locale: Locale, iso: string): string {
  const intl = { sq: 'sq', 'sr-Latn': 'sr-Latn', 'sr-Cyrl': 'sr-Cyrl', en: 'en-GB', fr: 'fr' }[locale];
  return new Intl.DateTimeFormat(intl, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}
function day(locale: Locale, iso: string): string {
  const intl = { sq: 'sq', 'sr-Latn': 'sr-Latn', 'sr-Cyrl': 'sr-Cyrl', en: 'en-GB', fr: 'fr' }[locale];
  return new Intl.DateTimeFormat(intl, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

for (const dialect of DIALECTS) {
  describe(`provenance on Gjakova's public pages [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(dialect);
      await seedIfEmpty(t.database.db);
    });
    after(async () => t.close());

    test('every page in every locale is valid HTML and carries source notes in the page language', async () => {
      for (const locale of LOCALES) {
        for (const page of PAGES) {
          const res = await t.app.inject(`/${locale}${page}`);
          assert.equal(res.statusCode, 200, `${locale}${page}`);
          assert.deepEqual(await htmlErrors(res.body), [], `${locale}${page}`);
          assert.match(res.body, /class="source-note/, `${locale}${page}: a source note`);
          assert.ok(text(res.body).includes(`${translate(locale, 'provenance.source')}:`), `${locale}${page}: "Source:" in the page language`);
        }
      }
    });

    test('the plan shows its months, not invented days, names the conflicting December 2025, and the plan\'s co-creation numbers with their wording', async () => {
      for (const locale of LOCALES) {
        const body = text((await t.app.inject(`/${locale}${PLAN}`)).body);
        assert.ok(body.includes(month(locale, '2024-12-01')), `${locale}: December 2024`);
        assert.ok(body.includes(month(locale, '2025-09-30')), `${locale}: September 2025`);
        assert.ok(!body.includes(day(locale, '2025-09-30')), `${locale}: no exact end day`);
        assert.ok(!body.includes(day(locale, '2024-12-01')), `${locale}: no exact start day`);
        assert.ok(body.includes(day(locale, '2024-11-29')), `${locale}: the submission date is given to the day`);
        assert.ok(body.includes(translate(locale, 'provenance.conflict')), `${locale}: the conflict is shown`);
        assert.ok(body.includes('Duration Dec 2025'), `${locale}: the conflicting words`);
        assert.ok(body.includes(translate(locale, 'provenance.cocreation.groups')), `${locale}: the groups with the plan's wording`);
        assert.ok(body.includes('Combien de groupes ont participé à ces espaces ? 6'), `${locale}: the plan's words for 6`);
        assert.ok(body.includes(translate(locale, 'provenance.document.adopted_plan')), `${locale}: the adopted plan named`);
        assert.ok(!/working groups|groupes de travail de co-création/i.test(body.match(/cocreation[\s\S]*/)?.[0] ?? ''), `${locale}: 6 is not called working groups`);
      }
      const fr = (await t.app.inject(`/fr${PLAN}`)).body;
      assert.match(fr, /lang="fr"[^>]*>Approbation des parties prenantes non gouvernementales/, 'a French section name carries its language');
    });

    test('commitment texts no source gives say "not stated"; OGP\'s words are named as such; policy areas are not invented', async () => {
      for (const locale of LOCALES) {
        const xk1 = text((await t.app.inject(`/${locale}${PLAN}/commitments/XKGJA0001`)).body);
        const xk3 = text((await t.app.inject(`/${locale}${PLAN}/commitments/XKGJA0003`)).body);
        const notStated = translate(locale, 'provenance.notStated');
        assert.ok(xk1.split(notStated).length - 1 >= 4, `${locale}: action, contribution, long-term goal and policy areas not stated`);
        assert.ok(xk3.split(notStated).length - 1 >= 5, `${locale}: XKGJA0003's status quo is not stated either`);
        assert.ok(xk1.includes(translate(locale, 'provenance.rendering.words')), `${locale}: the source's words`);
        assert.ok(xk1.includes(translate(locale, 'provenance.involved')), `${locale}: institutions involved, not lead/supporting`);
        assert.ok(xk1.includes(month(locale, '2024-12-01')) && xk1.includes(month(locale, '2025-09-30')), `${locale}: months`);
        assert.ok(!xk1.includes(day(locale, '2025-09-30')), `${locale}: no invented day`);
        for (const invented of ['Digital governance', 'leads among Kosovo municipalities', 'district heating', 'in cooperation between the Information Office']) {
          assert.ok(!xk1.includes(invented) && !xk3.includes(invented), `${locale}: "${invented}" is not in the sources`);
        }
      }
    });
    test('the jurisdiction page gives the plan\'s months; institution pages list the commitments they are involved in and their name\'s source', async () => {
      for (const locale of LOCALES) {
        const home = text((await t.app.inject(`/${locale}/gjakova`)).body);
        assert.ok(home.includes(month(locale, '2024-12-01')) && home.includes(month(locale, '2025-09-30')), `${locale}: months on the jurisdiction page`);
        assert.ok(!home.includes(day(locale, '2025-09-30')), `${locale}: no invented day`);
        assert.ok(home.includes(translate(locale, 'provenance.conflict')), `${locale}: the conflicting end`);
        const office = text((await t.app.inject(`/${locale}/gjakova/institutions/information-office`)).body);
        assert.ok(office.includes(translate(locale, 'provenance.institutionInvolved')), `${locale}: involved in`);
        assert.ok(office.includes('XKGJA0001') && office.includes('XKGJA0002') && !office.includes('XKGJA0003'), `${locale}: the commitments that name it`);
      }
      const cabinet = (await t.app.inject('/en/gjakova/institutions/mayors-cabinet')).body;
      assert.match(cabinet, /<h1>Mayor&#39;s Cabinet<\/h1>|<h1>Mayor's Cabinet<\/h1>/);
      const mayor = (await t.app.inject('/fr/gjakova/institutions/mayor')).body;
      assert.match(mayor, /<h1>Maire<\/h1>/);
      assert.match(mayor, /plan d’action tel qu’adopté/);
    });
  });
}
