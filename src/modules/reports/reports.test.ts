import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIALECTS } from '../../../test/db.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { htmlErrors } from '../../../test/html.js';
import { ReportFileCache } from './cache.js';
import { reportDocument } from './document.js';
import { commitmentReportModel, monitoringReportModel, planReportModel } from './model.js';
import { EVIDENCE, PUBLISHED, prepareReports } from './test-fixture.js';
import { refreshContentVersion } from '../../db/content-version.js';
import { findCommitmentDetail } from '../commitments/queries.js';
import { findPlanDetail } from '../plans/queries.js';
import { generateCycles, publishProgressUpdate, saveProgressUpdate } from '../reporting/commands.js';
import { listPublishedUpdates } from '../reporting/queries.js';
import { rdb } from '../reporting/tables.js';
import { insertReportingFixture, TINY_PDF, TINY_PNG, type ReportingFixture } from '../../../test/reporting-fixture.js';

/**
 * The reports on both databases, on Gjakova's seeded plan with the demonstration updates and
 * reviews plus a second jurisdiction with an update published through the reporting commands
 * (test-fixture.ts): what the models hold (never a draft), the printable pages, the routes'
 * headers and cache. reports-files.test.ts reads the PDF and DOCX back.
 */

const PLAN = '/gjakova/plans/2024-2025';

for (const dialect of DIALECTS) {
  describe(`reports [${dialect}]`, () => {
    let t: TestApp;
    let f: ReportingFixture;

    before(async () => {
      t = await openTestApp(dialect, {}, { now: () => new Date('2025-06-15T10:00:00Z') });
      f = await prepareReports(t.database.db);
    });

    after(async () => {
      await t?.close();
    });

    test('the plan report holds every commitment and only published updates', async () => {
      const model = await planReportModel(t.database.db, 'gjakova', '2024-2025');
      assert.ok(model);
      assert.deepEqual(
        model.commitments.map((c) => c.detail.code),
        ['XKGJA0001', 'XKGJA0002', 'XKGJA0003'],
      );
      assert.equal(model.isDemo, true);
      // XKGJA0001 has only a draft: nothing published; XKGJA0002 and 0003 have their demonstration updates.
      assert.equal(model.commitments[0]!.updates.length, 0);
      assert.equal(model.commitments[1]!.updates.length, 1);
      const doc = reportDocument(model, 'en', '2025-06-15');
      const text = JSON.stringify(doc.blocks);
      assert.ok(!text.includes('DRAFT-SHOULD-NEVER-SHOW'), 'a draft update is in the report');
      assert.ok(text.includes('Demonstration: the information campaign is complete.'));
      // OGP's template headings, and "Not stated" where the plan has no text (Gjakova's action is empty).
      const headings = doc.blocks.filter((b) => b.kind === 'heading').map((b) => (b.kind === 'heading' ? b.text.text : ''));
      for (const h of ['Foreword', 'Open government challenges, opportunities and strategic vision', 'Engagement and coordination', 'Commitment description', 'Problem', 'Status quo', 'Action', 'Milestones', 'Progress']) assert.ok(headings.includes(h), `heading ${h}`);
      assert.ok(doc.blocks.some((b) => b.kind === 'paragraph' && b.text.missing && b.text.text === 'Not stated'));
      assert.ok(doc.blocks.some((b) => b.kind === 'paragraph' && b.notice && /demonstration data/.test(b.text.text)), 'demonstration data labelled');
    });


    test('the plan report reads its commitments in a fixed number of queries, the same model as one commitment at a time', async () => {
      const db = t.database.db;
      let queries = 0;
      // Counts every query run through it (a plugin sees each result).
      const counting = db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => (queries++, a.result) });
      const count = async (slug: string) => {
        queries = 0;
        const model = await planReportModel(counting, slug, '2024-2025');
        assert.ok(model);
        return { queries, model };
      };
      // A plan of one commitment, then the same plan with thirteen, some with published updates and evidence files.
      const many = await insertReportingFixture(db, 'manyplan');
      await generateCycles(db, many.actors.coordinator, many.planId);
      const one = await count('manyplan');
      assert.equal(one.model.commitments.length, 1);
      const now = new Date().toISOString();
      const lead = await db.selectFrom('institutions').select('id').where('slug', '=', 'information-office').where('jurisdiction_id', '=', many.jurisdictionId).executeTakeFirstOrThrow();
      const cycle = await rdb(db).selectFrom('reporting_cycles').select('id').where('action_plan_id', '=', many.planId).where('number', '=', 1).executeTakeFirstOrThrow();
      for (let n = 2; n <= 13; n++) {
        const code = `XKGJA${String(n).padStart(4, '0')}`;
        const c = await db
          .insertInto('commitments')
          .values({ action_plan_id: many.planId, code, position: 14 - n, title: JSON.stringify({ en: `Commitment ${n}` }), problem: '{}', status_quo: '{}', action: '{}', contribution: '{}', long_term_goal: '{}', ogp_values: '[]', policy_areas: '[]', starts_on: '2024-01-01', ends_on: '2025-12-31', created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db.insertInto('commitment_institutions').values({ commitment_id: c.id, institution_id: lead.id, role: 'lead' }).execute();
        const milestones: number[] = [];
        for (const m of [2, 1]) {
          const row = await db
            .insertInto('milestones')
            .values({ commitment_id: c.id, code: `${code}.${m}`, position: m, title: JSON.stringify({ en: `Milestone ${m}` }), expected_output: '{}', indicator: '{}', responsible_institution_id: m === 1 ? lead.id : null, starts_on: null, due_on: '2025-06-30', status: 'not_started', completed_on: null, cancelled_on: null, weight: m, is_demo: 0, created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow();
          milestones.push(row.id);
        }
        if (n % 3 === 0) {
          const saved = await saveProgressUpdate(db, many.actors.holder, {
            cycleId: cycle.id,
            commitmentId: c.id,
            locale: 'en',
            summary: `Update of ${code}`,
            items: milestones.map((milestoneId, i) => ({ milestoneId, status: i ? 'completed' : 'in_progress', completion: i ? 'complete' : 'limited', narrative: `Narrative ${n}.${i}`, obstacles: [], obstacleNote: '', links: [EVIDENCE] })),
            files: [
              { field: 'files', milestoneId: null, filename: `whole-${n}.png`, content: TINY_PNG, truncated: false },
              { field: `m${milestones[1]}_files`, milestoneId: milestones[1]!, filename: `part-${n}.pdf`, content: TINY_PDF, truncated: false },
            ],
            removeFileIds: [],
            submit: true,
            formToken: null,
          });
          await publishProgressUpdate(db, many.actors.coordinator, { updateId: saved.id });
        }
      }
      const thirteen = await count('manyplan');
      assert.equal(thirteen.model.commitments.length, 13);
      assert.equal(thirteen.queries, one.queries, `${one.queries} queries for one commitment, ${thirteen.queries} for thirteen`);
      assert.ok(thirteen.queries <= 16, `${thirteen.queries} queries`);
      // The plan's order, and each commitment exactly as the commitment page's reads give it.
      assert.deepEqual(thirteen.model.commitments.map((c) => c.detail.code), [...(await findPlanDetail(db, 'manyplan', '2024-2025'))!.commitments.map((c) => c.code)]);
      const withFiles = thirteen.model.commitments.filter((c) => c.updates.some((u) => u.files.length > 0 && u.items.some((i) => i.files.length > 0)));
      assert.equal(withFiles.length, 4, 'four commitments have a published update with files');
      for (const slug of ['manyplan', 'gjakova', 'brandtown']) {
        const { model } = slug === 'manyplan' ? thirteen : await count(slug);
        for (const c of model.commitments) {
          assert.deepEqual(c.detail, await findCommitmentDetail(db, slug, '2024-2025', c.detail.code), `${slug} ${c.detail.code}`);
          assert.deepEqual(c.updates, await listPublishedUpdates(db, c.detail.id), `${slug} ${c.detail.code} updates`);
        }
      }
    });

    test('the monitoring report lists the published reviews with their recommendations and follow-up', async () => {
      const model = await monitoringReportModel(t.database.db, 'gjakova', '2024-2025');
      assert.ok(model);
      assert.equal(model.reports.length, 1);
      assert.deepEqual(model.reports[0]!.reviews.map((r) => r.commitment.code).sort(), ['XKGJA0001', 'XKGJA0002', 'XKGJA0003']);
      const text = JSON.stringify(reportDocument(model, 'en', '2025-06-15').blocks);
      assert.ok(text.includes('The inventory is online and matches what the office reported.'), 'a review finding');
      assert.ok(text.includes('Recommendations and follow-up'));
      assert.ok(text.includes('Government response'));
      assert.ok(text.includes('Follow-up on'), 'a follow-up entry');
      // Before any monitoring report: an explanatory page, and no files.
      const none = await monitoringReportModel(t.database.db, 'brandtown', '2024-2025');
      assert.ok(none);
      assert.equal(none.reports.length, 0);
      const page = await t.app.inject({ url: '/en/brandtown/plans/2024-2025/monitoring-report' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /has not published a monitoring report on this plan yet/);
      assert.ok(!page.body.includes('monitoring-report.pdf'));
      assert.equal((await t.app.inject({ url: '/en/brandtown/plans/2024-2025/monitoring-report.pdf' })).statusCode, 404);
    });

    test('the end-of-commitment report tells the published updates in order with their evidence, never a draft', async () => {
      const model = await commitmentReportModel(t.database.db, 'brandtown', '2024-2025', 'XKGJA0001');
      assert.ok(model);
      assert.equal(model.commitment.updates.length, 1);
      const doc = reportDocument(model, 'sq', '2025-06-15');
      const text = JSON.stringify(doc.blocks);
      assert.ok(text.includes(PUBLISHED));
      assert.ok(doc.blocks.some((b) => b.kind === 'list' && b.items.some((i) => i.href === EVIDENCE)), 'the evidence link');
      assert.ok(doc.blocks.some((b) => b.kind === 'heading' && b.level === 1 && b.text.text.includes('Buxhet i hapur')));
      const gjakova = await commitmentReportModel(t.database.db, 'gjakova', '2024-2025', 'XKGJA0001');
      assert.ok(gjakova);
      assert.equal(gjakova.commitment.updates.length, 0);
      assert.equal(gjakova.reviews.length, 1, 'the demonstration review of XKGJA0001');
      const page = await t.app.inject({ url: `/en${PLAN}/commitments/XKGJA0001/report` });
      assert.equal(page.statusCode, 200);
      assert.ok(!page.body.includes('DRAFT-SHOULD-NEVER-SHOW'));
      assert.match(page.body, /The monitoring body’s reviews/);
      assert.equal((await t.app.inject({ url: `/en${PLAN}/commitments/XKGJA9999/report.pdf` })).statusCode, 404);
    });

    test('the printable pages are valid HTML in every locale and link to their PDF and DOCX', async () => {
      for (const locale of ['en', 'sq', 'sr-Latn', 'sr-Cyrl', 'fr']) {
        for (const path of [`${PLAN}/report`, `${PLAN}/monitoring-report`, `${PLAN}/commitments/XKGJA0002/report`]) {
          const res = await t.app.inject({ url: `/${locale}${path}` });
          assert.equal(res.statusCode, 200, `${locale}${path}`);
          assert.deepEqual(await htmlErrors(res.body), [], `${locale}${path}`);
          assert.ok(res.body.includes(`href="/${locale}${path}.pdf"`), `${locale}${path}: link to the PDF`);
          assert.ok(res.body.includes(`href="/${locale}${path}.docx"`), `${locale}${path}: link to the DOCX`);
        }
      }
      const plan = await t.app.inject({ url: `/fr${PLAN}` });
      assert.ok(plan.body.includes(`href="/fr${PLAN}/report.pdf"`), 'the plan page links to its report');
      const commitment = await t.app.inject({ url: `/fr${PLAN}/commitments/XKGJA0001` });
      assert.ok(commitment.body.includes(`href="/fr${PLAN}/commitments/XKGJA0001/report.docx"`), 'the commitment page links to its report');
    });

    test('files have their type and a file name with the plan and locale, and a second request is served from memory', async () => {
      const made = ReportFileCache.made;
      const pdf = await t.app.inject({ url: `/sr-Cyrl${PLAN}/commitments/XKGJA0002/report.pdf` });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.headers['content-disposition'], 'inline; filename="gjakova-2024-2025-XKGJA0002-report-sr-Cyrl.pdf"');
      assert.equal(ReportFileCache.made, made + 1);
      const again = await t.app.inject({ url: `/sr-Cyrl${PLAN}/commitments/XKGJA0002/report.pdf` });
      assert.equal(ReportFileCache.made, made + 1, 'the second request made nothing');
      assert.equal(again.headers.etag, pdf.headers.etag);
      assert.ok(again.rawPayload.equals(pdf.rawPayload));
      assert.equal((await t.app.inject({ url: `/sr-Cyrl${PLAN}/commitments/XKGJA0002/report.pdf`, headers: { 'if-none-match': String(pdf.headers.etag) } })).statusCode, 304);
      // The same file under another spelling of its address is the same cache entry.
      for (const url of [`/sr-Cyrl${PLAN}/commitments/XKGJA0002/report.pdf/`, `/sr-Cyrl${PLAN}/commitments/XKGJA%30002/report.pdf`, `/sr-Cyrl/gjakov%61/plans/2024-2025/commitments/XKGJA0002/report.pdf`]) {
        const res = await t.app.inject({ url });
        assert.equal(res.statusCode, 200, url);
        assert.equal(res.headers.etag, pdf.headers.etag, url);
      }
      assert.equal(ReportFileCache.made, made + 1, 'another spelling of the address made nothing');
      const docx = await t.app.inject({ url: `/fr${PLAN}/report.docx` });
      assert.equal(docx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      assert.equal(docx.headers['content-disposition'], 'attachment; filename="gjakova-2024-2025-plan-report-fr.docx"');
      assert.equal(ReportFileCache.made, made + 2);
      // A published change: the next request makes the file again.
      await t.database.db.updateTable('cache_state').set({ version: 1_000_000 }).where('id', '=', 1).execute();
      await refreshContentVersion(t.database.db);
      await t.app.inject({ url: `/sr-Cyrl${PLAN}/commitments/XKGJA0002/report.pdf` });
      assert.equal(ReportFileCache.made, made + 3);
    });
  });
}

describe('report file cache', () => {
  test('holds at most its byte bound: an older file is dropped, a file larger than the bound is sent but not kept', async () => {
    const cache = new ReportFileCache(64, 100);
    const make = (bytes: number) => async () => ({ body: Buffer.alloc(bytes, 1), fileName: 'f.pdf' });
    await cache.get('a', 1, make(60));
    await cache.get('b', 1, make(60));
    assert.ok(cache.size <= 100, `${cache.size} bytes held`);
    const before = cache.made;
    await cache.get('b', 1, make(60));
    assert.equal(cache.made, before, 'the newest file is kept');
    await cache.get('a', 1, make(60));
    assert.equal(cache.made, before + 1, 'the older file was dropped to keep within the bound');
    const big = await cache.get('c', 1, make(500));
    assert.equal(big.body.length, 500, 'a file larger than the bound is still served');
    assert.ok(cache.size <= 100);
  });
});
