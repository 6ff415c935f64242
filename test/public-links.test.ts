import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedIfEmpty } from '../src/db/seeds/index.js';
import { seedDemo } from '../src/db/seeds/demo.js';
import { runCommand, SYSTEM } from '../src/modules/audit/index.js';
import { DIALECTS } from './db.js';
import { openTestApp, type TestApp } from './app.js';

const PLAN = '/gjakova/plans/2024-2025';
const INSTITUTION = '/gjakova/institutions/information-office';

interface Link {
  href: string;
  /** The HTML inside the <a>. */
  inner: string;
}

function links(body: string): Link[] {
  return [...body.matchAll(/<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({ href: m[1]!, inner: m[2]! }));
}

function historyLinks(body: string, locale: string, kind: string): Link[] {
  return links(body).filter((l) => l.href.startsWith(`/${locale}/history/${kind}/`));
}

for (const dialect of DIALECTS) {
  describe(`links on public pages [${dialect}]`, () => {
    let t: TestApp;
    const ids = { jurisdiction: 0, plan: 0, institution: 0, commitment: 0, milestones: new Map<string, number>() };
    before(async () => {
      t = await openTestApp(dialect);
      await seedIfEmpty(t.database.db);
      await seedDemo(t.database.db);
      const db = t.database.db;
      ids.jurisdiction = Number((await db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow()).id);
      ids.plan = Number((await db.selectFrom('action_plans').select('id').where('slug', '=', '2024-2025').executeTakeFirstOrThrow()).id);
      ids.institution = Number((await db.selectFrom('institutions').select('id').where('slug', '=', 'information-office').executeTakeFirstOrThrow()).id);
      const commitment = await db.selectFrom('commitments').select('id').where('code', '=', 'XKGJA0001').executeTakeFirstOrThrow();
      ids.commitment = Number(commitment.id);
      for (const m of await db.selectFrom('milestones').select(['id', 'code']).where('commitment_id', '=', commitment.id).execute()) {
        ids.milestones.set(m.code, Number(m.id));
      }
      assert.ok(ids.milestones.size > 0, 'the demonstration seed adds milestones to XKGJA0001');
    });
    after(async () => t.close());

    test('the jurisdiction, plan, institution and commitment pages link to their own history, which answers 200', async () => {
      const cases: Array<[string, string, number]> = [
        ['/gjakova', 'jurisdiction', ids.jurisdiction],
        [PLAN, 'plan', ids.plan],
        [INSTITUTION, 'institution', ids.institution],
        [`${PLAN}/commitments/XKGJA0001`, 'commitment', ids.commitment],
      ];
      for (const locale of ['sq', 'en', 'sr-Cyrl']) {
        for (const [page, kind, id] of cases) {
          const res = await t.app.inject(`/${locale}${page}`);
          assert.equal(res.statusCode, 200, `${locale}${page}`);
          const found = historyLinks(res.body, locale, kind);
          assert.deepEqual(
            found.map((l) => l.href),
            [`/${locale}/history/${kind}/${id}`],
            `${locale}${page} links once to its own history`,
          );
          assert.ok(found[0]!.inner.trim().length > 0, `${locale}${page}: the link has a text`);
          const history = await t.app.inject(found[0]!.href);
          assert.equal(history.statusCode, 200, found[0]!.href);
          assert.match(history.body, new RegExp(`<html lang="${locale}"`));
        }
      }
    });

    test('each milestone on the commitment page links to its own history, named by its code', async () => {
      const res = await t.app.inject(`/en${PLAN}/commitments/XKGJA0001`);
      const found = historyLinks(res.body, 'en', 'milestone');
      assert.equal(found.length, ids.milestones.size);
      for (const [code, id] of ids.milestones) {
        const link = found.find((l) => l.href === `/en/history/milestone/${id}`);
        assert.ok(link, `a history link for ${code}`);
        assert.ok(link.inner.includes(code), `the link for ${code} names it: ${link.inner}`);
        // Inside that milestone's own entry.
        const entry = res.body.slice(res.body.indexOf(`<article class="milestone" id="${code}"`));
        assert.ok(entry.slice(0, entry.indexOf('</article>')).includes(`href="${link.href}"`), `${code}: link inside its entry`);
        const history = await t.app.inject(link.href);
        assert.equal(history.statusCode, 200, link.href);
        assert.ok(history.body.includes(code), `the history of ${code} is about it`);
      }
    });

    test('no history link for what has no published change (its history page answers 404)', async () => {
      const db = t.database.db;
      const now = new Date().toISOString();
      // Written without audit.publish, as generated data is: nothing in the log for these.
      const added = await runCommand(db, SYSTEM, async (trx) => {
        const institution = await trx
          .insertInto('institutions')
          .values({ jurisdiction_id: ids.jurisdiction, slug: 'unlogged-office', name: JSON.stringify({ en: 'Unlogged office' }), kind: 'government', description: '{}', website: null, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        const commitment = await trx.selectFrom('commitments').select('id').where('code', '=', 'XKGJA0002').executeTakeFirstOrThrow();
        const milestone = await trx
          .insertInto('milestones')
          .values({
            commitment_id: commitment.id,
            code: 'XKGJA0002.9',
            position: 9,
            title: JSON.stringify({ en: 'An unlogged milestone' }),
            expected_output: '{}',
            indicator: '{}',
            responsible_institution_id: null,
            starts_on: null,
            due_on: '2025-12-31',
            status: 'not_started',
            completed_on: null,
            cancelled_on: null,
            weight: 1,
            is_demo: 0,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { institution: Number(institution.id), milestone: Number(milestone.id), commitment: Number(commitment.id) };
      });
      assert.equal((await t.app.inject(`/en/history/institution/${added.institution}`)).statusCode, 404);
      assert.equal((await t.app.inject(`/en/history/milestone/${added.milestone}`)).statusCode, 404);

      const institutionPage = await t.app.inject('/en/gjakova/institutions/unlogged-office');
      assert.equal(institutionPage.statusCode, 200);
      assert.match(institutionPage.body, /Unlogged office/);
      assert.deepEqual(historyLinks(institutionPage.body, 'en', 'institution'), []);

      const commitmentPage = await t.app.inject(`/en${PLAN}/commitments/XKGJA0002`);
      assert.match(commitmentPage.body, /An unlogged milestone/);
      assert.equal(historyLinks(commitmentPage.body, 'en', 'milestone').some((l) => l.href.endsWith(`/${added.milestone}`)), false);
      // The commitment itself was published by the seed: its link stays.
      assert.deepEqual(
        historyLinks(commitmentPage.body, 'en', 'commitment').map((l) => l.href),
        [`/en/history/commitment/${added.commitment}`],
      );
    });

    test('a title shown in a fallback language: the link keeps its lang, the page says once that texts are in English', async () => {
      // A milestone the institution is responsible for, so its page lists it.
      const milestone = await t.database.db
        .selectFrom('milestones')
        .select(['id', 'code'])
        .where('responsible_institution_id', '=', ids.institution)
        .orderBy('code')
        .executeTakeFirstOrThrow();
      await runCommand(t.database.db, SYSTEM, async (trx) => {
        await trx.updateTable('commitments').set({ title: JSON.stringify({ en: 'Only in English' }) }).where('code', '=', 'XKGJA0003').execute();
        await trx.updateTable('milestones').set({ title: JSON.stringify({ en: 'A milestone only in English' }) }).where('id', '=', milestone.id).execute();
        await trx.updateTable('institutions').set({ name: JSON.stringify({ en: 'An office only in English' }) }).where('id', '=', ids.institution).execute();
      });
      const pages = ['/gjakova', PLAN, INSTITUTION, `${PLAN}/commitments/XKGJA0003`, `${PLAN}/commitments/XKGJA0001`];
      for (const page of pages) {
        const res = await t.app.inject(`/fr${page}`);
        assert.equal(res.statusCode, 200, page);
        assert.equal(res.body.split('class="fallback-notice"').length - 1, 1, `${page}: some text falls back to English, said once`);
        assert.ok(res.body.includes(`<a href="/en${page}" hreflang="en">Lire cette page en anglais</a>`), `${page}: link to the English page`);
        for (const link of links(res.body)) {
          assert.doesNotMatch(link.inner, /fallback-not/, `${page}: a fallback note is inside the link to ${link.href}`);
        }
      }

      // The commitments table on the plan page: the English title inside the link with its lang, no note after it.
      const plan = await t.app.inject(`/fr${PLAN}`);
      const row = plan.body.slice(plan.body.search(/<td class="code"[^>]*>XKGJA0003<\/td>/));
      assert.match(
        row.slice(0, row.indexOf('</tr>')),
        /<a href="\/fr\/gjakova\/plans\/2024-2025\/commitments\/XKGJA0003"><span class="fallback" lang="en">Only in English<\/span><\/a><\/th>/,
      );
      // The institution's milestones: code and title in the link.
      const institution = await t.app.inject(`/fr${INSTITUTION}`);
      const code = milestone.code.replace('.', '\\.');
      assert.match(
        institution.body,
        new RegExp(`<a href="[^"]*#${code}"><span class="code">${code}</span> <span class="fallback" lang="en">A milestone only in English</span></a>`),
      );
      // A name on the commitment page (the milestone's responsible institution).
      const commitment = await t.app.inject(`/fr${PLAN}/commitments/${milestone.code.split('.')[0]}`);
      assert.match(commitment.body, /<a href="\/fr\/gjakova\/institutions\/information-office"><span class="fallback" lang="en">An office only in English<\/span><\/a>/);
    });
  });
}
